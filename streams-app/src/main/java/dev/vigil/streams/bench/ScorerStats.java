package dev.vigil.streams.bench;

import dev.vigil.streams.metrics.PipelineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The scorer's own counters at one instant (from {@link PipelineMetrics}); the difference of two is what happened
 * in between.
 *
 * @param degradedByReason scores flagged context_degraded, by reason
 */
record ScorerStats(double scored, double batches, double batched, double inferenceNanos, double retrievalBatches,
                   double retrievalNanos, double cacheHits, double cacheMisses, double deadLetters,
                   Map<String, Double> degradedByReason) {

    static ScorerStats of(PipelineMetrics metrics) {
        MeterRegistry r = metrics.registry();
        Counter scored = r.find("vigil.transactions.scored").counter();
        DistributionSummary batch = r.find("vigil.batch.size").summary();
        Timer inference = r.find("vigil.inference.latency").timer();
        Timer retrieval = r.find("vigil.retrieval.latency").timer();
        Counter hits = r.find("vigil.context.cache.requests").tag("result", "hit").counter();
        Counter misses = r.find("vigil.context.cache.requests").tag("result", "miss").counter();
        double dead = r.find("vigil.dead.letters").counters().stream().mapToDouble(Counter::count).sum();
        Map<String, Double> degraded = new TreeMap<>();
        for (Counter c : r.find("vigil.degraded").counters()) {
            degraded.merge(c.getId().getTag("reason"), c.count(), Double::sum);
        }
        return new ScorerStats(scored == null ? 0 : scored.count(), batch == null ? 0 : batch.count(),
                batch == null ? 0 : batch.totalAmount(),
                inference == null ? 0 : inference.totalTime(TimeUnit.NANOSECONDS),
                retrieval == null ? 0 : retrieval.count(),
                retrieval == null ? 0 : retrieval.totalTime(TimeUnit.NANOSECONDS),
                hits == null ? 0 : hits.count(), misses == null ? 0 : misses.count(), dead, degraded);
    }

    ScorerStats minus(ScorerStats before) {
        Map<String, Double> degraded = new TreeMap<>(degradedByReason);
        before.degradedByReason.forEach((k, v) -> degraded.merge(k, -v, Double::sum));
        degraded.values().removeIf(v -> v == 0);
        return new ScorerStats(scored - before.scored, batches - before.batches, batched - before.batched,
                inferenceNanos - before.inferenceNanos, retrievalBatches - before.retrievalBatches,
                retrievalNanos - before.retrievalNanos, cacheHits - before.cacheHits, cacheMisses - before.cacheMisses,
                deadLetters - before.deadLetters, degraded);
    }

    double degraded() {
        return degradedByReason.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double degradedShare() {
        return scored == 0 ? Double.NaN : degraded() / scored;
    }

    double meanBatch() {
        return batches == 0 ? Double.NaN : batched / batches;
    }

    /** Inference time (the model call) per transaction, in microseconds. */
    double inferenceMicrosPerTx() {
        return scored == 0 ? Double.NaN : inferenceNanos / 1e3 / scored;
    }

    /** Time the stream thread waited for OpenSearch, spread over every transaction, in microseconds. */
    double retrievalMicrosPerTx() {
        return scored == 0 ? Double.NaN : retrievalNanos / 1e3 / scored;
    }

    /** Mean wait of a batch that asked OpenSearch, in ms. */
    double retrievalMillisPerAsk() {
        return retrievalBatches == 0 ? Double.NaN : retrievalNanos / 1e6 / retrievalBatches;
    }

    double cacheHitRate() {
        double all = cacheHits + cacheMisses;
        return all == 0 ? Double.NaN : cacheHits / all;
    }
}
