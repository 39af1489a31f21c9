package dev.vigil.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The scorer's metrics, through Micrometer, exposed for Prometheus (names below are Prometheus's):
 * <ul>
 *   <li>{@code vigil_transactions_scored_total}: records/s is its rate;</li>
 *   <li>{@code vigil_end_to_end_latency_seconds}: arrival (the transaction's record timestamp) to its score handed to
 *       the producer, a histogram with buckets;</li>
 *   <li>{@code vigil_inference_latency_seconds} (per batch), {@code vigil_batch_size};</li>
 *   <li>{@code vigil_retrieval_latency_seconds} (the local context lookup, per batch),
 *       {@code vigil_context_age_seconds}, {@code vigil_context_cases}, {@code vigil_context_fraud_cases};</li>
 *   <li>{@code vigil_dead_letters_total{stage}}, {@code vigil_degraded_total{reason}},
 *       {@code vigil_alerts_total{decision}};</li>
 *   <li>{@code vigil_adapter_live{version}} = 1 for the live adapter (0 for earlier ones), {@code vigil_adapter_swaps_total},
 *       {@code vigil_adapter_rejections_total{reason}};</li>
 *   <li>{@code vigil_stage_cpu_seconds_total{stage}}: the stream threads' CPU time per scoring stage
 *       ({@link StageCpu});</li>
 *   <li>{@code vigil_stream_thread_failures_total{error}} (a thread that died and was replaced),
 *       {@code vigil_send_failures_total{topic,error}} (a record the producer refused).</li>
 * </ul>
 * Thread-safe.
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;
    private final Counter scored;
    private final Timer endToEnd;
    private final Timer inference;
    private final Timer retrieval;
    private final DistributionSummary batchSize;
    private final Counter swaps;
    private final Map<String, Counter> byTag = new ConcurrentHashMap<>();
    private final AtomicReference<String> liveAdapter = new AtomicReference<>("");
    private final StageCpu stages = new StageCpu();
    private volatile long lastProgressNanos = System.nanoTime();
    private final java.util.ArrayDeque<Long> failures = new java.util.ArrayDeque<>();
    private String lastFailure;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.scored = Counter.builder("vigil.transactions.scored").description("transactions scored").register(registry);
        this.endToEnd = Timer.builder("vigil.end.to.end.latency")
                .description("transaction arrival (record timestamp) to its score handed to the producer")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        this.inference = Timer.builder("vigil.inference.latency").description("model inference, per batch")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
        this.retrieval = Timer.builder("vigil.retrieval.latency")
                .description("looking up a batch's context in the local context")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
        this.batchSize = DistributionSummary.builder("vigil.batch.size").description("transactions per inference call")
                .register(registry);
        this.swaps = Counter.builder("vigil.adapter.swaps").description("adapters made live").register(registry);
        for (StageCpu.Stage stage : StageCpu.Stage.values()) {
            FunctionCounter.builder("vigil.stage.cpu", stages, s -> s.nanos(stage) / 1e9).baseUnit("seconds")
                    .tag("stage", stage.tag()).description("stream thread CPU time in this scoring stage")
                    .register(registry);
        }
    }

    /** The stream threads' CPU time per scoring stage. */
    public StageCpu stages() {
        return stages;
    }

    /** Metrics into a fresh Prometheus registry. */
    public static PipelineMetrics prometheus() {
        return new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric (empty if the registry is not a Prometheus one). */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : "";
    }

    public void scored(long arrivalMillis, long scoredMillis) {
        scored.increment();
        if (arrivalMillis > 0) {
            endToEnd.record(Math.max(0, scoredMillis - arrivalMillis), TimeUnit.MILLISECONDS);
        }
    }

    public void batch(int size, long inferenceNanos) {
        batchSize.record(size);
        inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
    }

    /** A batch's context was looked up (in memory) in {@code micros}. */
    public void retrieval(long micros) {
        retrieval.record(micros, TimeUnit.MICROSECONDS);
    }

    /** Gauges of the scorer's local context: its age, the cases and fraud cases it holds. */
    public void context(dev.vigil.streams.context.LocalContext context) {
        Gauge.builder("vigil.context.age", context, c -> {
            long age = c.ageMillis(System.currentTimeMillis());
            return age == Long.MAX_VALUE ? Double.NaN : age / 1000.0;
        }).baseUnit("seconds").description("how far behind the flowing labels and scores the local context is")
                .register(registry);
        Gauge.builder("vigil.context.cases", context, c -> c.size()).description("cases held by the local context")
                .register(registry);
        Gauge.builder("vigil.context.fraud.cases", context, c -> c.fraudCases())
                .description("fraud cases held by the local context").register(registry);
    }

    public void deadLetter(String stage) {
        tagged("vigil.dead.letters", "stage", stage).increment();
        progress();
    }

    /** A batch was scored or dead-lettered: the stream moves (read by {@code /health}). */
    public void progress() {
        lastProgressNanos = System.nanoTime();
    }

    /** System.nanoTime() of the last progress ({@link #progress}), or of this object's creation. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** A stream thread died of {@code error} and was replaced: counted, and remembered for {@code /health}. */
    public void streamThreadFailed(Throwable error) {
        tagged("vigil.stream.thread.failures", "error", error.getClass().getSimpleName()).increment();
        synchronized (failures) {
            failures.addLast(System.nanoTime());
            while (failures.size() > 64) {
                failures.removeFirst();
            }
            lastFailure = error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage());
        }
    }

    /** How many stream threads failed within {@code window} before now. */
    public int streamThreadFailures(Duration window) {
        long since = System.nanoTime() - window.toNanos();
        synchronized (failures) {
            return (int) failures.stream().filter(t -> t - since > 0).count();
        }
    }

    /** The last stream thread failure, as class and message, or null. */
    public String lastStreamThreadFailure() {
        synchronized (failures) {
            return lastFailure;
        }
    }

    /** A record the producer refused ({@code topic}, the error's class): counted; it was dead-lettered or dropped. */
    public void sendFailed(String topic, String error) {
        registry.counter("vigil.send.failures", "topic", topic, "error", error).increment();
    }

    public void degraded(String reason) {
        tagged("vigil.degraded", "reason", reason).increment();
    }

    public void published(String decision) {
        tagged("vigil.alerts", "decision", decision).increment();
    }

    /** The live adapter changed (also called once at start). */
    public void adapterLive(String version) {
        String previous = liveAdapter.getAndSet(version);
        if (!version.equals(previous)) {
            Gauge.builder("vigil.adapter.live", () -> version.equals(liveAdapter.get()) ? 1.0 : 0.0)
                    .tag("version", version).description("1 for the live adapter version, 0 for earlier ones")
                    .register(registry);
            if (!previous.isEmpty()) {
                swaps.increment();
            }
        }
    }

    public void adapterRejected(String reason) {
        tagged("vigil.adapter.rejections", "reason", reason).increment();
    }

    public String liveAdapter() {
        return liveAdapter.get();
    }

    public long count(String name, String tag, String value) {
        Counter c = byTag.get(name + '|' + tag + '|' + value);
        return c == null ? 0 : (long) c.count();
    }

    private Counter tagged(String name, String tag, String value) {
        return byTag.computeIfAbsent(name + '|' + tag + '|' + value,
                k -> Counter.builder(name).tag(tag, value).register(registry));
    }
}
