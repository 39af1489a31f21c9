package dev.vigil.evaluation;

/**
 * Average precision as scikit-learn's {@code average_precision_score} defines it: AP = sum over distinct score
 * thresholds, highest first, of (R_n - R_{n-1}) * P_n, with R_0 = 0. Tied scores form one threshold; there is no
 * interpolation (it is not the trapezoidal area under the PR curve). Equivalently: the mean, over frauds, of the
 * precision at that fraud's own score threshold.
 */
public final class AveragePrecision implements RankingMetric {

    public static final AveragePrecision INSTANCE = new AveragePrecision();

    private AveragePrecision() {
    }

    /** Average precision of these scores; NaN when there are no frauds, 1.0 when every transaction is fraud. */
    public static double of(double[] scores, boolean[] fraud) {
        return INSTANCE.compute(scores, fraud);
    }

    /**
     * Average precision with sample weights, as scikit-learn's {@code average_precision_score(..., sample_weight=w)}:
     * each transaction counts {@code weight} times in the true and false positive counts (e.g. an inverse propensity,
     * so that a labeled sample ranks as the traffic it was drawn from). NaN when no fraud has a positive weight.
     */
    public static double weighted(double[] scores, boolean[] fraud, double[] weight) {
        if (scores.length != fraud.length || scores.length != weight.length) {
            throw new IllegalArgumentException("scores, labels and weights differ in length: " + scores.length + ", "
                    + fraud.length + ", " + weight.length);
        }
        Integer[] order = new Integer[scores.length];
        double positives = 0;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            if (!(weight[i] >= 0) || Double.isInfinite(weight[i])) {
                throw new IllegalArgumentException("weight " + i + " must be finite and >= 0: " + weight[i]);
            }
            positives += fraud[i] ? weight[i] : 0;
        }
        if (!(positives > 0)) {
            return Double.NaN;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        double sum = 0;
        double tp = 0;
        double fp = 0;
        double tpBefore = 0;
        for (int i = 0; i < order.length; ) {
            double threshold = scores[order[i]];
            for (; i < order.length && scores[order[i]] == threshold; i++) { // tied scores are one threshold
                if (fraud[order[i]]) {
                    tp += weight[order[i]];
                } else {
                    fp += weight[order[i]];
                }
            }
            if (tp > tpBefore) {
                sum += (tp - tpBefore) / positives * (tp / (tp + fp));
                tpBefore = tp;
            }
        }
        return sum;
    }

    @Override
    public String name() {
        return "average_precision";
    }

    @Override
    public double compute(ThresholdCurve curve) {
        long p = curve.positives();
        if (p == 0) {
            return Double.NaN;
        }
        double sum = 0.0;
        long tpBefore = 0;
        for (int i = 0; i < curve.size(); i++) {
            long tp = curve.truePositivesAt(i);
            if (tp != tpBefore) { // a threshold that adds only genuine transactions adds no recall
                double recallStep = (double) (tp - tpBefore) / p;
                double precision = (double) tp / (tp + curve.falsePositivesAt(i));
                sum += recallStep * precision;
                tpBefore = tp;
            }
        }
        return sum;
    }

    @Override
    public String undefinedReason(ThresholdCurve curve) {
        if (curve.positives() == 0 && curve.negatives() == 0) {
            return "average precision is undefined: no transactions were evaluated";
        }
        if (curve.positives() == 0) {
            return "average precision is undefined: no fraud among the " + curve.negatives()
                    + " evaluated transactions (recall has no denominator)";
        }
        return null;
    }
}
