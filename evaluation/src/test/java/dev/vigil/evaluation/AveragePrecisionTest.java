package dev.vigil.evaluation;

import static dev.vigil.evaluation.TestTransactions.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AveragePrecisionTest {

    private static final double EXACT = 1e-15;

    @Test
    void matchesScikitLearnsDocumentedExample() {
        // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333...
        // thresholds, highest first (TP, FP -> R, P):
        //   0.8  (1, 0) -> R 0.5, P 1      : +0.5 * 1
        //   0.4  (1, 1) -> R 0.5, P 0.5    : +0   (no new recall)
        //   0.35 (2, 1) -> R 1,   P 2/3    : +0.5 * 2/3
        //   0.1  (2, 2) -> R 1,   P 0.5    : +0
        // AP = 0.5 + 1/3 = 5/6. (The trapezoidal area under the same curve would differ: no interpolation here.)
        double ap = AveragePrecision.of(new double[] {0.1, 0.4, 0.35, 0.8}, labels(0, 0, 1, 1));
        assertThat(ap).isCloseTo(5.0 / 6.0, within(EXACT));
    }

    @Test
    void tiedScoresFormOneThreshold() {
        // frauds {0.9, 0.6, 0.6, 0.2}, genuine {0.6, 0.4}; P = 4.
        //   0.9 (1, 0) -> R 1/4, P 1    : +1/4 * 1     = 0.25
        //   0.6 (3, 1) -> R 3/4, P 3/4  : +2/4 * 3/4   = 0.375   (the three tied 0.6 enter together)
        //   0.4 (3, 2) -> R 3/4         : +0
        //   0.2 (4, 2) -> R 1,   P 4/6  : +1/4 * 2/3   = 0.1666...
        // AP = 0.25 + 0.375 + 1/6 = 19/24 = 0.791666...
        // Breaking the 0.6 tie frauds-first would give 1/4 + 1/4*1 + 1/4*1 + 1/4*2/3 = 11/12 instead.
        double[] scores = {0.9, 0.6, 0.6, 0.6, 0.4, 0.2};
        boolean[] fraud = labels(1, 1, 0, 1, 0, 1);
        assertThat(AveragePrecision.of(scores, fraud)).isCloseTo(19.0 / 24.0, within(EXACT));
        // Input order never matters.
        assertThat(AveragePrecision.of(new double[] {0.6, 0.2, 0.6, 0.9, 0.4, 0.6}, labels(0, 1, 1, 1, 0, 1)))
                .isCloseTo(19.0 / 24.0, within(EXACT));
    }

    @Test
    void allTiedIsTheFraudRate() {
        // One threshold holding everything: R 0 -> 1 at P = 2/5.
        assertThat(AveragePrecision.of(new double[] {0.3, 0.3, 0.3, 0.3, 0.3}, labels(1, 0, 0, 1, 0)))
                .isCloseTo(0.4, within(EXACT));
    }

    @Test
    void isOneWhenEveryTransactionIsFraudAndNaNWhenNoneIs() {
        assertThat(AveragePrecision.of(new double[] {0.2, 0.9, 0.5}, labels(1, 1, 1))).isEqualTo(1.0);

        ThresholdCurve noFraud = ThresholdCurve.of(new double[] {0.2, 0.9}, labels(0, 0));
        assertThat(AveragePrecision.INSTANCE.compute(noFraud)).isNaN();
        assertThat(AveragePrecision.INSTANCE.undefinedReason(noFraud)).contains("no fraud");
        assertThat(AveragePrecision.of(new double[0], new boolean[0])).isNaN();
    }

    @Test
    void agreesWithTheMeanPrecisionAtEachFraudsOwnThresholdOnRandomTiedData() {
        Random random = new Random(7L);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(300);
            double[] scores = new double[n];
            boolean[] fraud = new boolean[n];
            for (int i = 0; i < n; i++) {
                fraud[i] = random.nextDouble() < 0.2;
                scores[i] = Math.round((random.nextDouble() + (fraud[i] ? 0.25 : 0.0)) * 10) / 10.0;
            }
            double expected = bruteForce(scores, fraud);
            double actual = AveragePrecision.of(scores, fraud);
            if (Double.isNaN(expected)) {
                assertThat(actual).isNaN();
            } else {
                assertThat(actual).as("round %d", round).isCloseTo(expected, within(1e-12));
            }
        }
    }

    /**
     * O(n^2), independent of the threshold curve: for every fraud, the precision when flagging everything scoring at
     * least its score (ties included); AP is their mean. Each fraud adds 1/P recall at its own threshold, so this is
     * the same sum regrouped.
     */
    private static double bruteForce(double[] scores, boolean[] fraud) {
        double sum = 0;
        int p = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!fraud[i]) {
                continue;
            }
            p++;
            int flagged = 0;
            int flaggedFraud = 0;
            for (int j = 0; j < scores.length; j++) {
                if (scores[j] >= scores[i]) {
                    flagged++;
                    flaggedFraud += fraud[j] ? 1 : 0;
                }
            }
            sum += (double) flaggedFraud / flagged;
        }
        return p == 0 ? Double.NaN : sum / p;
    }

    @Test
    void weightedApEqualsTheUnweightedApOfTheTrafficTheWeightsStandFor() {
        Random random = new Random(3);
        int n = 300;
        double[] scores = new double[n];
        boolean[] fraud = new boolean[n];
        double[] weight = new double[n];
        java.util.List<Double> expandedScores = new java.util.ArrayList<>();
        java.util.List<Boolean> expandedFraud = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            fraud[i] = random.nextDouble() < 0.2;
            scores[i] = Math.round((random.nextDouble() + (fraud[i] ? 0.3 : 0)) * 20) / 20.0; // with ties
            weight[i] = 1 + random.nextInt(4);
            for (int c = 0; c < weight[i]; c++) {
                expandedScores.add(scores[i]);
                expandedFraud.add(fraud[i]);
            }
        }
        double[] s = expandedScores.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] f = new boolean[expandedFraud.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = expandedFraud.get(i);
        }
        assertThat(AveragePrecision.weighted(scores, fraud, weight)).isCloseTo(AveragePrecision.of(s, f), within(1e-12));
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        assertThat(AveragePrecision.weighted(scores, fraud, ones)).isCloseTo(AveragePrecision.of(scores, fraud),
                within(1e-12));
        assertThat(AveragePrecision.weighted(scores, new boolean[n], ones)).isNaN();
    }
}
