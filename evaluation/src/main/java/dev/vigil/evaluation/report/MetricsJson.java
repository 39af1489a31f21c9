package dev.vigil.evaluation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.evaluation.AlertOutcome;
import dev.vigil.evaluation.CardPrecision;
import dev.vigil.evaluation.Evaluation;
import dev.vigil.evaluation.ScoreJoin;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes {@code metrics.json}: every number of a run with its inputs, options and counts, in snake_case. An undefined
 * metric is {@code null} (JSON has no NaN) and {@code notes} says why.
 */
public final class MetricsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsJson() {
    }

    public static void write(EvaluationRun run, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), toJson(run));
    }

    public static ObjectNode toJson(EvaluationRun run) {
        Evaluation e = run.evaluation();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("command", "evaluate");

        ObjectNode inputs = root.putObject("inputs");
        ScoreJoin.Counts join = run.join();
        ObjectNode data = inputs.putObject("data");
        data.put("path", run.data().path().toString());
        data.put("sha256", run.data().sha256());
        data.put("rows", join.dataRows());
        data.put("bad_rows", join.dataBadRows());
        ObjectNode scores = inputs.putObject("scores");
        scores.put("path", run.scores().path().toString());
        scores.put("sha256", run.scores().sha256());
        scores.put("rows", join.scoreRows());
        scores.put("bad_rows", join.scoreBadRows());

        EvaluationRun.Options o = run.options();
        ObjectNode options = root.putObject("options");
        time(options, "from", o.from());
        time(options, "to", o.to());
        options.put("k", o.k());
        options.put("label_delay_days", o.labelDelayDays());
        time(options, "history_from", o.historyFrom());
        number(options, "max_missing_share", o.maxMissingShare());

        Evaluation.Provenance p = e.provenance();
        ObjectNode window = root.putObject("window");
        time(window, "from", p.window().from());
        time(window, "to", p.window().to());
        window.put("bounds", "from inclusive, to exclusive; test days are UTC days");

        ObjectNode history = root.putObject("known_compromised");
        time(history, "history_from", run.historyFrom());
        history.put("history_from_source", run.historyFromSource());
        history.put("label_delay", p.labelDelay().toString());
        history.put("label_delay_days", p.labelDelay().toDays());
        history.put("rule", "on test day d, a card is excluded if it had a fraud with history_from <= event_time "
                + "< start of d - label_delay");
        history.put("compromised_cards_in_history", p.compromisedCardsInHistory());

        ObjectNode joinNode = root.putObject("join");
        joinNode.put("transactions_in_window", join.transactionsInWindow());
        joinNode.put("transactions_without_score", join.transactionsWithoutScore());
        number(joinNode, "transactions_without_score_share", join.withoutScoreShare());
        joinNode.put("unlabeled_in_window", join.unlabeledInWindow());
        joinNode.put("duplicate_transactions_in_window", join.duplicateTransactions());
        joinNode.put("scores_without_transaction", join.scoresWithoutTransaction());
        number(joinNode, "scores_without_transaction_share", join.orphanScoreShare());
        joinNode.put("scores_outside_window", join.scoresOutsideWindow());
        joinNode.put("duplicate_scores", join.duplicateScores());
        joinNode.put("card_id_mismatches", join.cardMismatches());
        joinNode.put("event_time_mismatches", join.eventTimeMismatches());
        joinNode.put("joined", join.joined());

        Evaluation.Counts c = e.counts();
        ObjectNode counts = root.putObject("counts");
        counts.put("joined_transactions", c.transactions());
        counts.put("known_compromised_excluded", c.knownCompromised());
        counts.put("evaluated_transactions", c.evaluated());
        counts.put("evaluated_frauds", c.frauds());
        counts.put("evaluated_cards", c.cards());
        counts.put("test_days", c.testDays());

        ObjectNode metrics = root.putObject("metrics");
        number(metrics, "roc_auc", e.rocAuc());
        number(metrics, "average_precision", e.averagePrecision());
        metrics.set("card_precision_at_k", cardPrecision(e.cardPrecision()));
        metrics.set("alerts", alerts(e.alerts()));

        ArrayNode notes = root.putArray("notes");
        e.notes().forEach(notes::add);
        ArrayNode warnings = root.putArray("warnings");
        run.warnings().forEach(warnings::add);
        return root;
    }

    private static ObjectNode cardPrecision(CardPrecision cp) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("k", cp.k());
        number(node, "mean", cp.mean());
        node.put("tie_rule", "a tie straddling place k adds its fraudulent cards times places left / tied cards "
                + "(expected value under random tie-breaking); all fraudulent cards of that tie count as found");
        ArrayNode days = node.putArray("days");
        for (CardPrecision.Day d : cp.days()) {
            ObjectNode day = days.addObject();
            day.put("day", d.day().toString());
            number(day, "card_precision", d.precision());
            number(day, "fraudulent_cards_in_top_k", d.fraudulentCardsInTopK());
            day.put("cards_ranked", d.cardsRanked());
            day.put("fraudulent_cards", d.fraudulentCards());
            number(day, "best_possible", d.bestPossible(cp.k()));
            day.put("known_compromised_cards_excluded", d.knownCompromisedCardsExcluded());
            day.put("cards_removed_as_found_earlier", d.cardsRemovedAsFoundEarlier());
            day.put("cards_found", d.cardsFound());
            if (d.boundaryTie() == null) {
                day.putNull("boundary_tie");
            } else {
                ObjectNode tie = day.putObject("boundary_tie");
                number(tie, "score", d.boundaryTie().score());
                tie.put("tied_cards", d.boundaryTie().tiedCards());
                tie.put("tied_fraudulent_cards", d.boundaryTie().tiedFraudulentCards());
                tie.put("places_left", d.boundaryTie().placesLeft());
            }
        }
        return node;
    }

    private static ObjectNode alerts(AlertOutcome a) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("alerts", a.alerts());
        node.put("true_positives", a.truePositives());
        node.put("false_positives", a.falsePositives());
        node.put("false_negatives", a.falseNegatives());
        node.put("true_negatives", a.trueNegatives());
        number(node, "precision", a.precision());
        number(node, "recall", a.recall());
        ArrayNode amounts = node.putArray("fraud_amount");
        for (AlertOutcome.FraudAmount f : a.fraudAmounts()) {
            ObjectNode amount = amounts.addObject();
            amount.put("currency", f.currency());
            amount.put("caught", f.caught().toDecimalString());
            amount.put("total", f.total().toDecimalString());
            amount.put("caught_minor_units", f.caughtMinorUnits());
            amount.put("total_minor_units", f.totalMinorUnits());
            number(amount, "caught_share", f.caughtShare());
        }
        return node;
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static void time(ObjectNode node, String field, Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toString());
        }
    }
}
