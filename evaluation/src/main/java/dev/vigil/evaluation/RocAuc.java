package dev.vigil.evaluation;

/**
 * Area under the ROC curve, computed exactly as the Mann-Whitney statistic: the probability that a random fraud
 * scores above a random genuine transaction, a tie counting 1/2. Equivalently the trapezoidal area under the ROC
 * curve through every distinct threshold (a tied group is one diagonal step, whose area is the 1/2 credit), or the
 * mid-rank formula. The pair count is summed in integers, so the only rounding is the final division.
 */
public final class RocAuc implements RankingMetric {

    public static final RocAuc INSTANCE = new RocAuc();

    private RocAuc() {
    }

    /** AUC-ROC of these scores; NaN when there are no frauds or no genuine transactions. */
    public static double of(double[] scores, boolean[] fraud) {
        return INSTANCE.compute(scores, fraud);
    }

    @Override
    public String name() {
        return "roc_auc";
    }

    @Override
    public double compute(ThresholdCurve curve) {
        long p = curve.positives();
        long n = curve.negatives();
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        // Twice the Mann-Whitney U: each genuine transaction in a threshold group earns 2 per fraud strictly above
        // it and 1 per fraud tied with it.
        long twiceU = 0;
        long tpBefore = 0;
        long fpBefore = 0;
        for (int i = 0; i < curve.size(); i++) {
            long tpGroup = curve.truePositivesAt(i) - tpBefore;
            long fpGroup = curve.falsePositivesAt(i) - fpBefore;
            twiceU = Math.addExact(twiceU, Math.multiplyExact(fpGroup, 2 * tpBefore + tpGroup));
            tpBefore = curve.truePositivesAt(i);
            fpBefore = curve.falsePositivesAt(i);
        }
        return twiceU / (2.0 * p * n);
    }

    @Override
    public String undefinedReason(ThresholdCurve curve) {
        if (curve.positives() == 0 && curve.negatives() == 0) {
            return "AUC-ROC is undefined: no transactions were evaluated";
        }
        if (curve.positives() == 0) {
            return "AUC-ROC is undefined: no fraud among the " + curve.negatives() + " evaluated transactions";
        }
        if (curve.negatives() == 0) {
            return "AUC-ROC is undefined: all " + curve.positives() + " evaluated transactions are fraud";
        }
        return null;
    }
}
