package dev.vigil.evaluation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the project's evaluation protocol (docs/architecture.md, "Evaluation protocol") on scored transactions in
 * memory: keep the test window, drop the transactions of cards known compromised each day, then compute AUC-ROC,
 * average precision, card precision@k per day and the alert outcome on what is left. Pure: no I/O, no state between
 * calls, the same input gives the same {@link Evaluation}.
 *
 * <pre>{@code
 * KnownCompromisedCards known = new KnownCompromisedCards(trainStart, Duration.ofDays(7));
 * labeledTransactions.forEach(known::record);          // every labeled CsvTransaction: history and test
 * Evaluation e = new FraudEvaluator(100).evaluate(TestWindow.days(firstTestDay, 7), scoredTest, known);
 * e.rocAuc(); e.averagePrecision(); e.cardPrecisionAtK();
 * }</pre>
 */
public final class FraudEvaluator {

    private final CardPrecisionAtK cardPrecision;

    public FraudEvaluator(int k) {
        this.cardPrecision = new CardPrecisionAtK(k);
    }

    public Evaluation evaluate(TestWindow window, List<ScoredTransaction> transactions, KnownCompromisedCards known) {
        List<ScoredTransaction> inWindow = new ArrayList<>(transactions.size());
        for (ScoredTransaction t : transactions) {
            if (window.contains(t.eventTime())) {
                inWindow.add(t);
            }
        }
        KnownCompromisedCards.Exclusion exclusion = known.exclude(inWindow);
        List<ScoredTransaction> evaluated = exclusion.kept();

        ThresholdCurve curve = ThresholdCurve.of(evaluated);
        double auc = RocAuc.INSTANCE.compute(curve);
        double ap = AveragePrecision.INSTANCE.compute(curve);
        CardPrecision cp = cardPrecision.compute(exclusion);
        AlertOutcome alerts = AlertOutcome.of(evaluated);

        Set<String> cards = new HashSet<>();
        for (ScoredTransaction t : evaluated) {
            cards.add(t.cardId());
        }
        Evaluation.Counts counts = new Evaluation.Counts(transactions.size(), transactions.size() - inWindow.size(),
                exclusion.excludedTransactions(), evaluated.size(), curve.positives(), cards.size(),
                cp.days().size());
        Evaluation.Provenance provenance = new Evaluation.Provenance(window, cardPrecision.k(), known.labelDelay(),
                known.historyFrom(), known.enabled(), known.compromisedCards());
        return new Evaluation(provenance, counts, auc, ap, cp, alerts, curve,
                notes(curve, cp, alerts, exclusion, inWindow.size()));
    }

    private static List<String> notes(ThresholdCurve curve, CardPrecision cp, AlertOutcome alerts,
                                      KnownCompromisedCards.Exclusion exclusion, int inWindow) {
        List<String> notes = new ArrayList<>();
        if (inWindow == 0) {
            notes.add("no transaction falls inside the test window");
        } else if (exclusion.kept().isEmpty()) {
            notes.add("all " + inWindow + " transactions in the window are on cards known compromised");
        }
        for (RankingMetric metric : List.of(RocAuc.INSTANCE, AveragePrecision.INSTANCE)) {
            String reason = metric.undefinedReason(curve);
            if (reason != null) {
                notes.add(reason);
            }
        }
        if (cp.days().isEmpty()) {
            notes.add("card precision@" + cp.k() + " is undefined: no test day has a transaction to rank");
        }
        if (alerts.alerts() == 0 && !exclusion.kept().isEmpty()) {
            notes.add("alert precision is undefined: no evaluated transaction was alerted");
        }
        if (curve.positives() == 0 && !exclusion.kept().isEmpty()) {
            notes.add("alert recall and fraud amount caught are undefined: no evaluated transaction is fraud");
        }
        for (AlertOutcome.FraudAmount amount : alerts.fraudAmounts()) {
            if (amount.totalMinorUnits() == 0) {
                notes.add("fraud amount share in " + amount.currency() + " is undefined: the frauds total zero");
            }
        }
        return notes;
    }
}
