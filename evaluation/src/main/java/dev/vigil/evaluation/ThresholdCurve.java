package dev.vigil.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The confusion counts at every distinct score threshold, highest first: the sufficient statistic for AUC-ROC, average
 * precision and both curves (scikit-learn's {@code _binary_clf_curve}). Transactions with equal scores form one
 * threshold, so ties are never split by an arbitrary order: at threshold i, everything scoring {@code >= threshold(i)}
 * is predicted fraud.
 */
public final class ThresholdCurve {

    private final double[] thresholds;
    private final long[] truePositives;
    private final long[] falsePositives;
    private final long positives;
    private final long negatives;

    private ThresholdCurve(double[] thresholds, long[] truePositives, long[] falsePositives, long positives,
                           long negatives) {
        this.thresholds = thresholds;
        this.truePositives = truePositives;
        this.falsePositives = falsePositives;
        this.positives = positives;
        this.negatives = negatives;
    }

    /**
     * @param scores higher is more suspicious; NaN is refused (IllegalArgumentException), -0.0 equals 0.0
     * @param fraud  the labels, same length
     */
    public static ThresholdCurve of(double[] scores, boolean[] fraud) {
        if (scores.length != fraud.length) {
            throw new IllegalArgumentException(
                    "scores and labels differ in length: " + scores.length + " vs " + fraud.length);
        }
        int p = 0;
        for (boolean f : fraud) {
            p += f ? 1 : 0;
        }
        double[] pos = new double[p];
        double[] neg = new double[scores.length - p];
        int ip = 0;
        int in = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            double s = scores[i] + 0.0; // folds -0.0 into 0.0 so the two never form separate thresholds
            if (fraud[i]) {
                pos[ip++] = s;
            } else {
                neg[in++] = s;
            }
        }
        // Sorting the two classes apart on primitive arrays, then merging from the top, groups ties across classes
        // without an index sort: O(n log n) with no boxing, which matters at millions of transactions.
        Arrays.sort(pos);
        Arrays.sort(neg);
        double[] thresholds = new double[scores.length];
        long[] tps = new long[scores.length];
        long[] fps = new long[scores.length];
        int n = 0;
        long tp = 0;
        long fp = 0;
        int i = pos.length - 1;
        int j = neg.length - 1;
        while (i >= 0 || j >= 0) {
            double t = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
            while (i >= 0 && pos[i] == t) {
                tp++;
                i--;
            }
            while (j >= 0 && neg[j] == t) {
                fp++;
                j--;
            }
            thresholds[n] = t;
            tps[n] = tp;
            fps[n] = fp;
            n++;
        }
        return new ThresholdCurve(Arrays.copyOf(thresholds, n), Arrays.copyOf(tps, n), Arrays.copyOf(fps, n),
                pos.length, neg.length);
    }

    public static ThresholdCurve of(List<ScoredTransaction> transactions) {
        double[] scores = new double[transactions.size()];
        boolean[] fraud = new boolean[transactions.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = transactions.get(i).score();
            fraud[i] = transactions.get(i).fraud();
        }
        return of(scores, fraud);
    }

    /** The number of distinct thresholds (distinct scores). */
    public int size() {
        return thresholds.length;
    }

    /** The i-th distinct score, descending. */
    public double threshold(int i) {
        return thresholds[i];
    }

    /** Frauds scoring at or above {@link #threshold(int) threshold(i)}. */
    public long truePositivesAt(int i) {
        return truePositives[i];
    }

    /** Genuine transactions scoring at or above {@link #threshold(int) threshold(i)}. */
    public long falsePositivesAt(int i) {
        return falsePositives[i];
    }

    /** All frauds. */
    public long positives() {
        return positives;
    }

    /** All genuine transactions. */
    public long negatives() {
        return negatives;
    }

    /** A point of the ROC curve: flagging everything scoring {@code >= threshold} gives these rates. */
    public record RocPoint(double threshold, double falsePositiveRate, double truePositiveRate) {
    }

    /** A point of the precision-recall curve: flagging everything scoring {@code >= threshold}. */
    public record PrecisionRecallPoint(double threshold, double recall, double precision) {
    }

    /**
     * The ROC curve from (0, 0) (threshold +infinity: nothing flagged) through one point per distinct score to (1, 1).
     * Empty when there are no frauds or no genuine transactions: the rates are then undefined.
     */
    public List<RocPoint> rocPoints() {
        if (positives == 0 || negatives == 0) {
            return List.of();
        }
        List<RocPoint> points = new ArrayList<>(size() + 1);
        points.add(new RocPoint(Double.POSITIVE_INFINITY, 0.0, 0.0));
        for (int i = 0; i < size(); i++) {
            points.add(new RocPoint(thresholds[i], (double) falsePositives[i] / negatives,
                    (double) truePositives[i] / positives));
        }
        return points;
    }

    /**
     * The precision-recall curve, one point per distinct score from the highest, starting like scikit-learn's with
     * (recall 0, precision 1) at threshold +infinity. Empty when there are no frauds: recall is then undefined.
     */
    public List<PrecisionRecallPoint> precisionRecallPoints() {
        if (positives == 0) {
            return List.of();
        }
        List<PrecisionRecallPoint> points = new ArrayList<>(size() + 1);
        points.add(new PrecisionRecallPoint(Double.POSITIVE_INFINITY, 0.0, 1.0));
        for (int i = 0; i < size(); i++) {
            points.add(new PrecisionRecallPoint(thresholds[i], (double) truePositives[i] / positives,
                    (double) truePositives[i] / (truePositives[i] + falsePositives[i])));
        }
        return points;
    }
}
