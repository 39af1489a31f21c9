package dev.vigil.evaluation;

import static dev.vigil.evaluation.TestTransactions.labels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.evaluation.ThresholdCurve.PrecisionRecallPoint;
import dev.vigil.evaluation.ThresholdCurve.RocPoint;
import org.junit.jupiter.api.Test;

class ThresholdCurveTest {

    // frauds {0.9, 0.6}, genuine {0.6, 0.3}: distinct thresholds 0.9, 0.6, 0.3.
    private final ThresholdCurve curve = ThresholdCurve.of(new double[] {0.3, 0.6, 0.9, 0.6}, labels(0, 1, 1, 0));

    @Test
    void holdsCumulativeCountsPerDistinctScoreHighestFirst() {
        assertThat(curve.size()).isEqualTo(3);
        assertThat(curve.positives()).isEqualTo(2);
        assertThat(curve.negatives()).isEqualTo(2);
        // >= 0.9: 1 fraud; >= 0.6: 2 frauds, 1 genuine; >= 0.3: everything.
        assertThat(new double[] {curve.threshold(0), curve.threshold(1), curve.threshold(2)})
                .containsExactly(0.9, 0.6, 0.3);
        assertThat(new long[] {curve.truePositivesAt(0), curve.truePositivesAt(1), curve.truePositivesAt(2)})
                .containsExactly(1, 2, 2);
        assertThat(new long[] {curve.falsePositivesAt(0), curve.falsePositivesAt(1), curve.falsePositivesAt(2)})
                .containsExactly(0, 1, 2);
    }

    @Test
    void rocCurveRunsFromOriginToOneOnePointPerThreshold() {
        assertThat(curve.rocPoints()).containsExactly(
                new RocPoint(Double.POSITIVE_INFINITY, 0.0, 0.0),
                new RocPoint(0.9, 0.0, 0.5),
                new RocPoint(0.6, 0.5, 1.0),
                new RocPoint(0.3, 1.0, 1.0));
    }

    @Test
    void precisionRecallCurveStartsAtRecallZeroPrecisionOne() {
        assertThat(curve.precisionRecallPoints()).containsExactly(
                new PrecisionRecallPoint(Double.POSITIVE_INFINITY, 0.0, 1.0),
                new PrecisionRecallPoint(0.9, 0.5, 1.0),
                new PrecisionRecallPoint(0.6, 1.0, 2.0 / 3.0),
                new PrecisionRecallPoint(0.3, 1.0, 0.5));
    }

    @Test
    void curvesAreEmptyWhereTheirRatesAreUndefined() {
        ThresholdCurve noFraud = ThresholdCurve.of(new double[] {0.1}, labels(0));
        assertThat(noFraud.rocPoints()).isEmpty();
        assertThat(noFraud.precisionRecallPoints()).isEmpty();
        ThresholdCurve allFraud = ThresholdCurve.of(new double[] {0.1}, labels(1));
        assertThat(allFraud.rocPoints()).isEmpty();
        assertThat(allFraud.precisionRecallPoints()).hasSize(2);
    }
}
