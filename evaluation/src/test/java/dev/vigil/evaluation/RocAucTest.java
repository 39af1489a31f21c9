package dev.vigil.evaluation;

import static dev.vigil.evaluation.TestTransactions.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RocAucTest {

    private static final double EXACT = 1e-15;

    @Test
    void perfectRankingIsOneAndReversedRankingIsZero() {
        assertThat(RocAuc.of(new double[] {0.9, 0.8, 0.2, 0.1}, labels(1, 1, 0, 0))).isEqualTo(1.0);
        assertThat(RocAuc.of(new double[] {0.1, 0.2, 0.8, 0.9}, labels(1, 1, 0, 0))).isEqualTo(0.0);
    }

    @Test
    void countsTheFraudGenuinePairsInOrderWithoutTies() {
        // frauds {0.9, 0.4}, genuine {0.6, 0.2, 0.1}: 2 x 3 = 6 pairs.
        // 0.9 beats 0.6, 0.2, 0.1 -> 3; 0.4 beats 0.2, 0.1 but not 0.6 -> 2. AUC = 5/6.
        double auc = RocAuc.of(new double[] {0.9, 0.6, 0.4, 0.2, 0.1}, labels(1, 0, 1, 0, 0));
        assertThat(auc).isCloseTo(5.0 / 6.0, within(EXACT));
    }

    @Test
    void aTieAcrossClassesCountsOneHalf() {
        // frauds {0.8, 0.5, 0.5}, genuine {0.5, 0.3}: 3 x 2 = 6 pairs.
        // 0.8: beats 0.5 and 0.3 -> 2. Each fraud 0.5: ties genuine 0.5 (1/2), beats 0.3 (1) -> 1.5, twice -> 3.
        // U = 5, AUC = 5/6.
        // Mid-ranks agree: ascending 0.3 -> 1; the three 0.5 share ranks 2, 3, 4 -> 3 each; 0.8 -> 5.
        // Fraud rank sum R = 5 + 3 + 3 = 11; U = R - P(P+1)/2 = 11 - 6 = 5.
        double auc = RocAuc.of(new double[] {0.8, 0.5, 0.5, 0.5, 0.3}, labels(1, 1, 1, 0, 0));
        assertThat(auc).isCloseTo(5.0 / 6.0, within(EXACT));
    }

    @Test
    void tiesAreNotBrokenByInputOrder() {
        // The same multiset of (score, label) in two orders, with the genuine tie first or last.
        double[] scores = {0.5, 0.5, 0.5, 0.5};
        assertThat(RocAuc.of(scores, labels(0, 0, 1, 1))).isEqualTo(0.5);
        assertThat(RocAuc.of(scores, labels(1, 1, 0, 0))).isEqualTo(0.5);
    }

    @Test
    void negativeZeroTiesWithZero() {
        // fraud -0.0, genuine 0.0: one tied pair -> 1/2, not 0 (Double.compare would order them).
        assertThat(RocAuc.of(new double[] {-0.0, 0.0}, labels(1, 0))).isEqualTo(0.5);
    }

    @Test
    void matchesScikitLearnsDocumentedExample() {
        // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75:
        // 0.35 beats 0.1 only (1), 0.8 beats both (2): 3/4.
        assertThat(RocAuc.of(new double[] {0.1, 0.4, 0.35, 0.8}, labels(0, 0, 1, 1))).isEqualTo(0.75);
    }

    @Test
    void isNaNWithAReasonWhenOneClassIsMissing() {
        ThresholdCurve noFraud = ThresholdCurve.of(new double[] {0.3, 0.7}, labels(0, 0));
        assertThat(RocAuc.INSTANCE.compute(noFraud)).isNaN();
        assertThat(RocAuc.INSTANCE.undefinedReason(noFraud)).contains("no fraud");

        ThresholdCurve allFraud = ThresholdCurve.of(new double[] {0.3, 0.7}, labels(1, 1));
        assertThat(RocAuc.INSTANCE.compute(allFraud)).isNaN();
        assertThat(RocAuc.INSTANCE.undefinedReason(allFraud)).contains("all 2 evaluated transactions are fraud");

        ThresholdCurve empty = ThresholdCurve.of(new double[0], new boolean[0]);
        assertThat(RocAuc.INSTANCE.compute(empty)).isNaN();
        assertThat(RocAuc.INSTANCE.undefinedReason(empty)).contains("no transactions");

        assertThat(RocAuc.INSTANCE.undefinedReason(ThresholdCurve.of(new double[] {0.1, 0.2}, labels(0, 1))))
                .isNull();
    }

    @Test
    void refusesNaNScoresAndMismatchedLengths() {
        assertThatThrownBy(() -> RocAuc.of(new double[] {0.1, Double.NaN}, labels(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> RocAuc.of(new double[] {0.1}, labels(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    }

    @Test
    void agreesWithBruteForcePairCountingAndTheMidRankFormulaOnRandomTiedData() {
        Random random = new Random(20260201L);
        for (int round = 0; round < 200; round++) {
            int n = 2 + random.nextInt(300);
            double[] scores = new double[n];
            boolean[] fraud = new boolean[n];
            for (int i = 0; i < n; i++) {
                fraud[i] = random.nextDouble() < 0.3;
                // Few distinct values, so most scores tie, across and within classes.
                scores[i] = Math.round((random.nextDouble() + (fraud[i] ? 0.3 : 0.0)) * 8) / 8.0;
            }
            double fast = RocAuc.of(scores, fraud);
            double pairs = bruteForcePairs(scores, fraud);
            double midRanks = midRankFormula(scores, fraud);
            if (Double.isNaN(pairs)) {
                assertThat(fast).isNaN();
            } else {
                assertThat(fast).as("round %d", round).isCloseTo(pairs, within(1e-12));
                assertThat(fast).as("round %d", round).isCloseTo(midRanks, within(1e-12));
            }
        }
    }

    /** O(P*N): every (fraud, genuine) pair, 1 if the fraud scores higher, 1/2 on a tie. */
    static double bruteForcePairs(double[] scores, boolean[] fraud) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (fraud[i] && !fraud[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
                }
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }

    /** Mann-Whitney from mid-ranks of an ascending sort: U = R_fraud - P(P+1)/2. */
    private static double midRankFormula(double[] scores, boolean[] fraud) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] rank = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double mid = (i + 1 + j + 1) / 2.0;
            for (int m = i; m <= j; m++) {
                rank[order[m]] = mid;
            }
            i = j + 1;
        }
        double rankSum = 0;
        long p = 0;
        for (int m = 0; m < n; m++) {
            if (fraud[m]) {
                rankSum += rank[m];
                p++;
            }
        }
        long negatives = n - p;
        return (rankSum - p * (p + 1) / 2.0) / (p * (double) negatives);
    }
}
