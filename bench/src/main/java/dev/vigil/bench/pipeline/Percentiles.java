package dev.vigil.bench.pipeline;

import java.util.Arrays;

/** Order statistics of a sample (nearest rank), in the sample's unit. */
record Percentiles(int count, double p50, double p90, double p99, double p999, double max, double mean) {

    static Percentiles of(long[] values) {
        if (values.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
                rank(sorted, 0.999), sorted[sorted.length - 1], sum / sorted.length);
    }

    private static double rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
