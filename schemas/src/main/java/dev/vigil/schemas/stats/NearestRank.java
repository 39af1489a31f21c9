package dev.vigil.schemas.stats;

/**
 * Quantiles by nearest rank: the {@code q}-quantile of {@code n} ascending samples is the one at rank
 * {@code ceil(q * n)} (1-based; the first for q = 0), so every value reported is a sample that was measured, never an
 * interpolation between two. The benchmarks' and the demo's latency percentiles are taken this way.
 */
public final class NearestRank {

    private NearestRank() {
    }

    /** The nearest-rank {@code q}-quantile (0..1) of ascending, non-empty {@code sorted}. */
    public static double quantile(double[] sorted, double q) {
        return sorted[index(sorted.length, q)];
    }

    /** The nearest-rank {@code q}-quantile (0..1) of ascending, non-empty {@code sorted}. */
    public static long quantile(long[] sorted, double q) {
        return sorted[index(sorted.length, q)];
    }

    private static int index(int n, double q) {
        if (n == 0) {
            throw new IllegalArgumentException("no samples: a quantile needs at least one");
        }
        int index = (int) Math.ceil(q * n) - 1;
        return Math.max(0, Math.min(n - 1, index));
    }
}
