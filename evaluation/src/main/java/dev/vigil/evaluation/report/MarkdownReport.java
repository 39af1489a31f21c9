package dev.vigil.evaluation.report;

import static dev.vigil.evaluation.report.MetricFormat.count;
import static dev.vigil.evaluation.report.MetricFormat.fixed;
import static dev.vigil.evaluation.report.MetricFormat.metric;
import static dev.vigil.evaluation.report.MetricFormat.percent;

import dev.vigil.evaluation.AlertOutcome;
import dev.vigil.evaluation.CardPrecision;
import dev.vigil.evaluation.Evaluation;
import dev.vigil.evaluation.ScoreJoin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code report.md}: the headline table, the per-day CP@k table, the counts, and the charts. */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    public static void write(EvaluationRun run, Path file) throws IOException {
        Files.writeString(file, render(run), StandardCharsets.UTF_8);
    }

    public static String render(EvaluationRun run) {
        Evaluation e = run.evaluation();
        Evaluation.Provenance p = e.provenance();
        int k = p.k();
        StringBuilder md = new StringBuilder(4096);
        md.append("# Evaluation\n\n");
        md.append("Test window ").append(p.window()).append(" (UTC), k = ").append(k).append(", label delay ")
                .append(p.labelDelay().toDays()).append(" days, fraud history from ").append(run.historyFrom())
                .append(" (").append(run.historyFromSource()).append(").\n\n");
        if (!run.warnings().isEmpty()) {
            md.append("**Warnings: read these before trusting the numbers.**\n\n");
            run.warnings().forEach(w -> md.append("- ").append(w).append('\n'));
            md.append('\n');
        }

        md.append("| metric | value |\n| --- | ---: |\n");
        md.append("| AUC-ROC | ").append(metric(e.rocAuc())).append(" |\n");
        md.append("| Average precision | ").append(metric(e.averagePrecision())).append(" |\n");
        md.append("| Card precision@").append(k).append(" (mean of ").append(e.cardPrecision().days().size())
                .append(" days) | ").append(metric(e.cardPrecision().mean())).append(" |\n");
        AlertOutcome a = e.alerts();
        md.append("| Alert precision (").append(count(a.truePositives())).append(" of ").append(count(a.alerts()))
                .append(" alerts are fraud) | ").append(metric(a.precision())).append(" |\n");
        md.append("| Alert recall (").append(count(a.truePositives())).append(" of ")
                .append(count(a.truePositives() + a.falseNegatives())).append(" frauds alerted) | ")
                .append(metric(a.recall())).append(" |\n");
        for (AlertOutcome.FraudAmount f : a.fraudAmounts()) {
            md.append("| Fraud amount caught, ").append(f.currency()).append(" | ")
                    .append(f.caught().toDecimalString()).append(" of ").append(f.total().toDecimalString())
                    .append(" (").append(percent(f.caughtShare())).append(") |\n");
        }
        md.append('\n');
        md.append("AUC, AP and the alert figures are over the ").append(count(e.counts().evaluated()))
                .append(" evaluated transactions (").append(count(e.counts().frauds())).append(" frauds, ")
                .append(count(e.counts().cards())).append(" cards): the joined transactions of the window minus the ")
                .append(count(e.counts().knownCompromised()))
                .append(" on cards already known compromised that day.\n\n");
        if (!e.notes().isEmpty()) {
            e.notes().forEach(n -> md.append("- Note: ").append(n).append('\n'));
            md.append('\n');
        }

        md.append("## Card precision@").append(k).append(" per day\n\n");
        md.append("| day | known compromised, excluded | found earlier, removed | cards ranked | fraudulent cards "
                + "| fraudulent in top ").append(k).append(" | CP@").append(k)
                .append(" | best possible | tie at place ").append(k).append(" |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (CardPrecision.Day d : e.cardPrecision().days()) {
            md.append("| ").append(d.day()).append(" | ").append(d.knownCompromisedCardsExcluded())
                    .append(" | ").append(d.cardsRemovedAsFoundEarlier())
                    .append(" | ").append(d.cardsRanked())
                    .append(" | ").append(d.fraudulentCards())
                    .append(" | ").append(trim(d.fraudulentCardsInTopK()))
                    .append(" | ").append(metric(d.precision()))
                    .append(" | ").append(metric(d.bestPossible(k)))
                    .append(" | ").append(tie(d.boundaryTie()))
                    .append(" |\n");
        }
        md.append("| **mean** | | | | | | **").append(metric(e.cardPrecision().mean())).append("** | | |\n\n");
        md.append("A card is ranked by its highest score of the day and is fraudulent if any of its transactions that "
                + "day is. Cards found in a day's top ").append(k).append(" are removed from the later days. A tie "
                + "straddling place ").append(k).append(" contributes its fraudulent cards times the places left "
                + "divided by its size (the expected value under random tie-breaking); all fraudulent cards of such "
                + "a tie count as found.\n\n");

        md.append("## Charts\n\n![Precision-recall curve](pr_curve.png)\n\n![ROC curve](roc_curve.png)\n\n")
                .append("![Card precision@").append(k).append(" per day](cp_at_k_daily.png)\n\n");

        ScoreJoin.Counts j = run.join();
        md.append("## Inputs and join\n\n| | |\n| --- | ---: |\n");
        row(md, "data file", "`" + run.data().path() + "`");
        row(md, "data sha256", "`" + run.data().sha256() + "`");
        row(md, "data rows read (bad rows)", count(j.dataRows()) + " (" + count(j.dataBadRows()) + ")");
        row(md, "scores file", "`" + run.scores().path() + "`");
        row(md, "scores sha256", "`" + run.scores().sha256() + "`");
        row(md, "score rows read (bad rows)", count(j.scoreRows()) + " (" + count(j.scoreBadRows()) + ")");
        row(md, "transactions in window", count(j.transactionsInWindow()));
        row(md, "... without a score", count(j.transactionsWithoutScore()) + " ("
                + percent(j.withoutScoreShare()) + ")");
        row(md, "... without a label", count(j.unlabeledInWindow()));
        row(md, "... repeated transaction_id (ignored)", count(j.duplicateTransactions()));
        row(md, "scores with no transaction in the data", count(j.scoresWithoutTransaction()) + " ("
                + percent(j.orphanScoreShare()) + ")");
        row(md, "scores of transactions outside the window", count(j.scoresOutsideWindow()));
        row(md, "repeated scores (first kept)", count(j.duplicateScores()));
        row(md, "card_id / event_time disagreeing with the data", count(j.cardMismatches()) + " / "
                + count(j.eventTimeMismatches()));
        row(md, "joined: labeled, scored, in window", count(j.joined()));
        row(md, "excluded as known compromised", count(e.counts().knownCompromised()));
        row(md, "evaluated", count(e.counts().evaluated()));
        return md.toString();
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String tie(CardPrecision.BoundaryTie tie) {
        if (tie == null) {
            return "";
        }
        return tie.tiedFraudulentCards() + " fraudulent of " + tie.tiedCards() + " tied at " + tie.score()
                + ", " + tie.placesLeft() + (tie.placesLeft() == 1 ? " place" : " places") + " left";
    }

    /** Whole numbers without decimals, expected values with three. */
    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : fixed(v, 3);
    }
}
