package dev.vigil.cli.demo;

import dev.vigil.schemas.stats.NearestRank;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * End-to-end latencies (the payment's arrival on Kafka to its score, from the score record's {@code arrival_time}
 * and {@code scored_time}): the last few seconds of wall time for the dashboard's p50/p99, and every sample of the
 * live days for the report. Thread-safe.
 */
final class LatencyWindow {

    private final long windowNanos;
    private final ArrayDeque<long[]> recent = new ArrayDeque<>(); // {wall nanos, latency ms}
    private double[] all = new double[1024];
    private int count;

    LatencyWindow(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /**
     * Adds a sample; {@code live} ones are also kept for the report. From the first live sample on, the recent window
     * holds live samples only: the warm-up's are a backlog's waiting times, not the pipeline's latency.
     */
    synchronized void add(long latencyMillis, boolean live) {
        if (live && count == 0) {
            recent.clear();
        } else if (!live && count > 0) {
            return;
        }
        long now = System.nanoTime();
        recent.addLast(new long[] {now, latencyMillis});
        evict(now);
        if (live) {
            if (count == all.length) {
                all = Arrays.copyOf(all, count * 2);
            }
            all[count++] = latencyMillis;
        }
    }

    /** The q-quantile (0..1) of the recent window, NaN when it is empty. */
    synchronized double recentQuantile(double q) {
        evict(System.nanoTime());
        if (recent.isEmpty()) {
            return Double.NaN;
        }
        return NearestRank.quantile(recent.stream().mapToDouble(r -> r[1]).sorted().toArray(), q);
    }

    synchronized double[] kept() {
        return Arrays.copyOf(all, count);
    }

    private void evict(long now) {
        while (!recent.isEmpty() && now - recent.peekFirst()[0] > windowNanos) {
            recent.removeFirst();
        }
    }
}
