package dev.vigil.bench.pipeline;

import dev.vigil.schemas.stats.NearestRank;
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
        return new Percentiles(sorted.length, NearestRank.quantile(sorted, 0.50), NearestRank.quantile(sorted, 0.90),
                NearestRank.quantile(sorted, 0.99), NearestRank.quantile(sorted, 0.999), sorted[sorted.length - 1],
                sum / sorted.length);
    }
}
