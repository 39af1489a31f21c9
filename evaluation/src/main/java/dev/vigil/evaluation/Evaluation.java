package dev.vigil.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every number of one evaluation together with how it was made, so a figure in a model card or a promotion decision
 * can be traced back to its window, exclusion rule and counts. A metric that is undefined for this data is NaN and
 * {@link #notes} says why.
 *
 * @param rocAuc           over the evaluated transactions (test window, known-compromised cards excluded)
 * @param averagePrecision over the same transactions
 * @param cardPrecision    CP@k per test day and its mean
 * @param alerts           the scorer's own alert decisions over the same transactions
 * @param curve            the threshold counts behind AUC, AP and both curves
 */
public record Evaluation(
        Provenance provenance,
        Counts counts,
        double rocAuc,
        double averagePrecision,
        CardPrecision cardPrecision,
        AlertOutcome alerts,
        ThresholdCurve curve,
        List<String> notes) {

    public Evaluation {
        notes = List.copyOf(notes);
    }

    /** The mean daily card precision@k: the headline CP@k. */
    public double cardPrecisionAtK() {
        return cardPrecision.mean();
    }

    /**
     * @param historyFrom            start of the fraud history used for the known-compromised exclusion; null when
     *                               every recorded fraud counted
     * @param knownCompromisedExcluded false when the evaluation ran with {@link KnownCompromisedCards#none()}
     */
    public record Provenance(TestWindow window, int k, Duration labelDelay, Instant historyFrom,
                             boolean knownCompromisedExcluded, int compromisedCardsInHistory) {
    }

    /**
     * @param transactions     given to the evaluator
     * @param outsideWindow    of those, outside the test window, ignored
     * @param knownCompromised in the window but on a card known compromised that day, excluded
     * @param evaluated        left for every metric
     * @param frauds           frauds among the evaluated
     * @param cards            distinct cards among the evaluated
     * @param testDays         UTC days with at least one evaluated transaction (the CP@k days)
     */
    public record Counts(long transactions, long outsideWindow, long knownCompromised, long evaluated, long frauds,
                         long cards, int testDays) {
    }
}
