package dev.vigil.schemas.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NearestRankTest {

    @Test
    void theQuantileIsTheSampleAtRankCeilingOfQTimesN() {
        double[] tenths = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(NearestRank.quantile(tenths, 0.50)).isEqualTo(5);
        assertThat(NearestRank.quantile(tenths, 0.51)).isEqualTo(6);
        assertThat(NearestRank.quantile(tenths, 0.90)).isEqualTo(9);
        assertThat(NearestRank.quantile(tenths, 0.99)).isEqualTo(10);
        assertThat(NearestRank.quantile(tenths, 1.0)).isEqualTo(10);
        assertThat(NearestRank.quantile(tenths, 0.0)).isEqualTo(1);
    }

    @Test
    void longAndDoubleSamplesGiveTheSameRank() {
        long[] millis = {3, 8, 8, 20, 400};
        double[] same = {3, 8, 8, 20, 400};
        for (double q : new double[] {0, 0.2, 0.5, 0.95, 0.999, 1}) {
            assertThat((double) NearestRank.quantile(millis, q)).isEqualTo(NearestRank.quantile(same, q));
        }
        assertThat(NearestRank.quantile(millis, 0.999)).isEqualTo(400);
    }

    @Test
    void noSamplesHaveNoQuantile() {
        assertThatThrownBy(() -> NearestRank.quantile(new double[0], 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
