package dev.vigil.cli.report;

import dev.vigil.schemas.stats.NearestRank;
import java.util.Arrays;

/**
 * The percentiles of a set of latency samples ({@link NearestRank}, so every value reported is a latency that was
 * measured). Non-finite and negative samples are left out; with none left, every value is NaN.
 *
 * @param samples how many samples the percentiles were taken over
 */
public record LatencyPercentiles(int samples, double p50, double p95, double p99, double max) {

    public static LatencyPercentiles of(double[] millis) {
        double[] sorted = millis == null ? new double[0]
                : Arrays.stream(millis).filter(v -> Double.isFinite(v) && v >= 0).sorted().toArray();
        if (sorted.length == 0) {
            return new LatencyPercentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencyPercentiles(sorted.length, NearestRank.quantile(sorted, 0.50),
                NearestRank.quantile(sorted, 0.95), NearestRank.quantile(sorted, 0.99), sorted[sorted.length - 1]);
    }
}
