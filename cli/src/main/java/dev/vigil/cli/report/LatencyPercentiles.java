package dev.vigil.cli.report;

import java.util.Arrays;

/**
 * The percentiles of a set of latency samples (nearest rank on the sorted samples, so every value reported is a
 * latency that was measured). Non-finite and negative samples are left out; with none left, every value is NaN.
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
        return new LatencyPercentiles(sorted.length, quantile(sorted, 0.50), quantile(sorted, 0.95),
                quantile(sorted, 0.99), sorted[sorted.length - 1]);
    }

    /** The nearest-rank {@code p}-quantile (0..1) of ascending, non-empty {@code sorted}. */
    public static double quantile(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
