package dev.vigil.evaluation;

/**
 * A metric that depends only on how the scores order frauds against genuine transactions, computed from the
 * {@link ThresholdCurve}. Undefined values (no frauds, or no genuine transactions, where the metric needs them) are
 * {@link Double#NaN}, never an exception; {@link #undefinedReason} says why.
 */
public interface RankingMetric {

    /** A short stable name, used as a key in metrics.json ("roc_auc", "average_precision"). */
    String name();

    double compute(ThresholdCurve curve);

    /** Why {@link #compute} is NaN for this curve, or null when it is defined. */
    String undefinedReason(ThresholdCurve curve);

    default double compute(double[] scores, boolean[] fraud) {
        return compute(ThresholdCurve.of(scores, fraud));
    }
}
