package dev.vigil.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyPercentilesTest {

    @Test
    void percentilesAreMeasuredValuesByNearestRank() {
        double[] samples = new double[100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 100 - i; // unsorted on purpose
        }

        LatencyPercentiles p = LatencyPercentiles.of(samples);

        assertThat(p.samples()).isEqualTo(100);
        assertThat(p.p50()).isEqualTo(50);
        assertThat(p.p95()).isEqualTo(95);
        assertThat(p.p99()).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
    }

    @Test
    void nonFiniteAndNegativeSamplesAreLeftOutAndNoneLeftGivesNaN() {
        assertThat(LatencyPercentiles.of(new double[] {Double.NaN, 7, -1}))
                .isEqualTo(new LatencyPercentiles(1, 7, 7, 7, 7));
        LatencyPercentiles none = LatencyPercentiles.of(new double[] {Double.NaN});
        assertThat(none.samples()).isZero();
        assertThat(none.p99()).isNaN();
        assertThat(LatencyPercentiles.of(null).samples()).isZero();
    }
}
