package dev.vigil.bench.pipeline;

import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.metrics.StageCpu;
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
record ScorerStats(double scored, double batches, double batched, double inferenceNanos, double retrievalNanos,
                   double deadLetters, Map<String, Double> degradedByReason, long[] stageNanos, double alerts,
                   double reviews) {

    static ScorerStats of(PipelineMetrics metrics) {
        MeterRegistry r = metrics.registry();
        Counter scored = r.find("vigil.transactions.scored").counter();
        DistributionSummary batch = r.find("vigil.batch.size").summary();
        Timer inference = r.find("vigil.inference.latency").timer();
        Timer retrieval = r.find("vigil.retrieval.latency").timer();
        double dead = r.find("vigil.dead.letters").counters().stream().mapToDouble(Counter::count).sum();
        Map<String, Double> degraded = new TreeMap<>();
        for (Counter c : r.find("vigil.degraded").counters()) {
            degraded.merge(c.getId().getTag("reason"), c.count(), Double::sum);
        }
        long[] stages = new long[StageCpu.Stage.values().length];
        for (StageCpu.Stage stage : StageCpu.Stage.values()) {
            stages[stage.ordinal()] = metrics.stages().nanos(stage);
        }
        return new ScorerStats(scored == null ? 0 : scored.count(), batch == null ? 0 : batch.count(),
                batch == null ? 0 : batch.totalAmount(),
                inference == null ? 0 : inference.totalTime(TimeUnit.NANOSECONDS),
                retrieval == null ? 0 : retrieval.totalTime(TimeUnit.NANOSECONDS), dead, degraded, stages,
                metrics.count("vigil.alerts", "decision", "alert"), metrics.count("vigil.alerts", "decision", "review")
                        + metrics.count("vigil.alerts", "decision", "explore"));
    }

    ScorerStats minus(ScorerStats before) {
        Map<String, Double> degraded = new TreeMap<>(degradedByReason);
        before.degradedByReason.forEach((k, v) -> degraded.merge(k, -v, Double::sum));
        degraded.values().removeIf(v -> v == 0);
        return new ScorerStats(scored - before.scored, batches - before.batches, batched - before.batched,
                inferenceNanos - before.inferenceNanos, retrievalNanos - before.retrievalNanos, deadLetters - before.deadLetters, degraded, minus(stageNanos, before.stageNanos),
                alerts - before.alerts, reviews - before.reviews);
    }

    private static long[] minus(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** Stream thread CPU time per scored transaction in {@code stage}, in microseconds. */
    double stageMicrosPerTx(StageCpu.Stage stage) {
        return scored == 0 ? Double.NaN : stageNanos[stage.ordinal()] / 1e3 / scored;
    }

    /** All stages together, in nanoseconds. */
    long stagesNanos() {
        long sum = 0;
        for (long n : stageNanos) {
            sum += n;
        }
        return sum;
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

    /** Time the stream thread spent looking up context, spread over every transaction, in microseconds. */
    double retrievalMicrosPerTx() {
        return scored == 0 ? Double.NaN : retrievalNanos / 1e3 / scored;
    }

}
