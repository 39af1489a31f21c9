package dev.vigil.streams;

import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.cli.Setting;
import dev.vigil.schemas.cli.SettingGroup;
import dev.vigil.streams.context.CaseIndex;
import dev.vigil.streams.scoring.ContextRetriever;
import dev.vigil.streams.scoring.DecisionPolicy;
import dev.vigil.streams.scoring.TransactionValidator;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./vigil streams}' settings, each defined once: the scorer's own here (read by {@link ScoringApp.Config}'s
 * defaults and checks), the decision's, the context's and the validator's beside the record that holds them
 * ({@link DecisionPolicy}, {@link ContextRetriever.Options}, {@link TransactionValidator.Limits}). The command's
 * options take their defaults and docs from this group.
 */
public final class StreamsSettings extends SettingGroup {

    public static final Setting<String> CASE_INDEX = Setting.of("case-index", CaseIndex.DEFAULT_NAME,
            "The cases index.");
    public static final Setting<ScoringApp.Graph> GRAPH = Setting.of("graph", ScoringApp.Graph.INT8,
            "int8 or fp32 serving graph.");
    public static final Setting<ScorerOptions.Device> DEVICE = Setting.of("device", ScorerOptions.Device.CPU,
            "CPU, CUDA or TENSORRT (GPU execution providers fall back to the CPU when absent).");
    public static final Setting<Integer> GPU_ID = Setting.atLeast("gpu-id", 0, 0, "GPU to use.");
    public static final Setting<Integer> INFERENCE_THREADS = Setting.atLeast("inference-threads", 1, 1,
            "ONNX Runtime intra-op threads on the CPU.");
    public static final Setting<String> APPLICATION_ID = Setting.of("application-id", "vigil-scorer",
            "Kafka Streams application id (consumer group, internal topics).")
            .must("a non-blank name", v -> v != null && !v.isBlank());
    public static final Setting<Path> STATE_DIR = Setting.of("state-dir", Path.of(".vigil/streams-state"),
            "Kafka Streams state directory (RocksDB).");
    public static final Setting<Integer> BATCH = Setting.atLeast("batch", 64, 1,
            "Most transactions per inference call.");
    public static final Setting<Long> LINGER_MS = Setting.of("linger-ms", 5L,
            "Longest wait to fill a batch, in ms.").must("at least 0", v -> v != null && v >= 0);
    public static final Setting<Long> COMMIT_INTERVAL_MS = Setting.of("commit-interval-ms", 100L,
            "Kafka transaction commit interval, in ms: read_committed consumers see scores after it.")
            .must("at least 1", v -> v != null && v >= 1);
    public static final Setting<Integer> METRICS_PORT = Setting.atLeast("metrics-port", 9464, -1,
            "Port of the Prometheus endpoint (/metrics, /health) on --metrics-host; 0 = any free port, -1 = none.");
    public static final Setting<String> METRICS_HOST = Setting.of("metrics-host", "127.0.0.1",
            "Interface the metrics endpoint binds to (loopback unless told otherwise).");

    public StreamsSettings() {
        super(List.of(CASE_INDEX, GRAPH, DEVICE, GPU_ID, INFERENCE_THREADS, APPLICATION_ID, STATE_DIR, BATCH,
                LINGER_MS, COMMIT_INTERVAL_MS,
                ContextRetriever.Options.MAX_AGE_MS, ContextRetriever.Options.RETENTION_DAYS,
                DecisionPolicy.ALERT_THRESHOLD, DecisionPolicy.REVIEW_BUDGET, DecisionPolicy.EXPLORE_SHARE,
                METRICS_PORT, METRICS_HOST,
                TransactionValidator.Limits.MAX_AMOUNT, TransactionValidator.Limits.MIN_AMOUNT,
                TransactionValidator.Limits.EARLIEST_EVENT_TIME, TransactionValidator.Limits.DUPLICATE_WINDOW_HOURS));
    }
}
