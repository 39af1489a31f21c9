package dev.vigil.streams;

import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.cli.ConnectionOptions;
import dev.vigil.schemas.cli.GracefulStop;
import dev.vigil.streams.metrics.MetricsEndpoint;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.BatchScorer;
import dev.vigil.streams.scoring.ContextRetriever;
import dev.vigil.streams.scoring.DecisionPolicy;
import dev.vigil.streams.scoring.ScoringTopology;
import dev.vigil.streams.scoring.TransactionValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./vigil streams --model models/NAME}: runs the scoring application until stopped (Ctrl-C or SIGTERM). */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Score every transaction of payments.transactions in real time (Kafka Streams, exactly once) "
                + "and publish fraud.scores, fraud.alerts and fraud.dlq. Runs until stopped.")
public final class StreamsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory (./vigil train).")
    Path model;

    @Option(names = "--opensearch", paramLabel = "URL", defaultValue = "${env:VIGIL_OPENSEARCH_URL:-http://localhost:9200}",
            description = "OpenSearch URL of the cases index: the case indexer writes it, the local context loads from "
                    + "it at start (env VIGIL_OPENSEARCH_URL). Default: ${DEFAULT-VALUE}.")
    String openSearch;

    @Option(names = "--no-context", description = "Score without retrieval context (every score is flagged degraded).")
    boolean noContext;

    @Option(names = "--case-index", defaultValue = "cases", description = "The cases index. Default: ${DEFAULT-VALUE}.")
    String caseIndex;

    @Option(names = "--graph", defaultValue = "INT8", description = "int8 or fp32 serving graph. Default: ${DEFAULT-VALUE}.",
            converter = GraphConverter.class)
    ScoringApp.Graph graph;

    @Option(names = "--device", defaultValue = "CPU",
            description = "CPU, CUDA or TENSORRT (GPU execution providers fall back to the CPU when absent). "
                    + "Default: ${DEFAULT-VALUE}.", converter = DeviceConverter.class)
    ScorerOptions.Device device;

    @Option(names = "--gpu-id", defaultValue = "0", description = "GPU to use. Default: ${DEFAULT-VALUE}.")
    int gpuId;

    @Option(names = "--inference-threads", defaultValue = "1",
            description = "ONNX Runtime intra-op threads on the CPU. Default: ${DEFAULT-VALUE}.")
    int inferenceThreads;

    @Option(names = "--application-id", defaultValue = "vigil-scorer",
            description = "Kafka Streams application id (consumer group, internal topics). Default: ${DEFAULT-VALUE}.")
    String applicationId;

    @Option(names = "--state-dir", defaultValue = ".vigil/streams-state",
            description = "Kafka Streams state directory (RocksDB). Default: ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--stream-threads", description = "Stream threads (each scores its share of the partitions). "
            + "Default: 2, or 1 on a single core.")
    int streamThreads = ScoringApp.DEFAULT_STREAM_THREADS;

    @Option(names = "--batch", defaultValue = "64", description = "Most transactions per inference call. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--linger-ms", defaultValue = "5",
            description = "Longest wait to fill a batch, in ms. Default: ${DEFAULT-VALUE}.")
    long lingerMs;

    @Option(names = "--commit-interval-ms", defaultValue = "100",
            description = "Kafka transaction commit interval, in ms: read_committed consumers see scores after it. "
                    + "Default: ${DEFAULT-VALUE}.")
    long commitMs;

    @Option(names = "--context-max-age-ms", defaultValue = "5000",
            description = "Scores whose local context is further behind the labels and scores flowing through Kafka "
                    + "are flagged context_stale, in ms. Default: ${DEFAULT-VALUE}.")
    long contextMaxAgeMs;

    @Option(names = "--context-retention-days", defaultValue = "40",
            description = "How long before the newest payment the local context keeps unlabeled and genuine cases "
                    + "(fraud cases are kept); at least 31. Default: ${DEFAULT-VALUE}.")
    long contextRetentionDays;

    @Option(names = "--alert-threshold", defaultValue = "0.5", description = "Score that alerts. Default: ${DEFAULT-VALUE}.")
    double alertThreshold;

    @Option(names = "--explore-floor", defaultValue = "0.1",
            description = "Lowest score of the exploration band [floor, threshold). Default: ${DEFAULT-VALUE}.")
    double exploreFloor;

    @Option(names = "--explore-probability", defaultValue = "0.05",
            description = "Probability that a transaction in the band is sent to review. Default: ${DEFAULT-VALUE}.")
    double exploreProbability;

    @Option(names = "--no-model-inputs", description = "Leave the model inputs out of fraud.scores (the fingerprint stays).")
    boolean noModelInputs;

    @Option(names = "--metrics-port", defaultValue = "9464",
            description = "Port of the Prometheus endpoint (/metrics, /health) on --metrics-host; 0 = any free port, "
                    + "-1 = none. Default: ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
    String metricsHost;

    @Option(names = "--trusted-key", paramLabel = "PEM",
            description = "Public key (X.509 PEM) whose signatures on fraud.adapters releases are trusted; repeatable. "
                    + "Default: .vigil/keys/adapters.pub when it exists.")
    java.util.List<Path> trustedKeys = new java.util.ArrayList<>();

    @Option(names = "--no-case-indexer", description = "Do not run the case indexer in this process.")
    boolean noCaseIndexer;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--max-amount", paramLabel = "MINOR",
            description = "Largest amount accepted, in minor units, for every currency without its own "
                    + "--max-amount-for. Default: ${DEFAULT-VALUE}.", defaultValue = "1000000000000")
    long maxAmountMinor;

    @Option(names = "--max-amount-for", paramLabel = "CUR=MINOR",
            description = "Largest amount accepted for one currency, in its minor units, e.g. EUR=5000000; repeatable.")
    java.util.Map<String, Long> maxAmountFor = new java.util.LinkedHashMap<>();

    @Option(names = "--min-amount", paramLabel = "MINOR", defaultValue = "1",
            description = "Smallest amount accepted, in minor units (0 scores zero-amount card checks too). "
                    + "Default: ${DEFAULT-VALUE}.")
    long minAmountMinor;

    @Option(names = "--earliest-event-time", paramLabel = "ISO-8601", defaultValue = "2000-01-01T00:00:00Z",
            description = "Event times before this are refused (a zero or garbage timestamp). Default: ${DEFAULT-VALUE}.")
    java.time.Instant earliestEventTime;

    @Option(names = "--duplicate-window-hours", paramLabel = "H", defaultValue = "24",
            description = "How long a scored transaction id is remembered: a second record with that id within it is "
                    + "a dead letter 'duplicate' (no second score or alert). Default: ${DEFAULT-VALUE}.")
    int duplicateWindowHours;

    @Option(names = "--adapters-topic", defaultValue = Topics.ADAPTERS, hidden = true)
    String adaptersTopic;
    @Option(names = "--labels-topic", defaultValue = Topics.LABELS, hidden = true)
    String labelsTopic;
    @Option(names = "--transactions-topic", defaultValue = Topics.TRANSACTIONS, hidden = true)
    String transactionsTopic;
    @Option(names = "--scores-topic", defaultValue = Topics.SCORES, hidden = true)
    String scoresTopic;
    @Option(names = "--alerts-topic", defaultValue = Topics.ALERTS, hidden = true)
    String alertsTopic;
    @Option(names = "--dlq-topic", defaultValue = Topics.DLQ, hidden = true)
    String dlqTopic;

    /** The configuration these options describe. */
    public ScoringApp.Config config() {
        ScorerOptions scorer = device == ScorerOptions.Device.CPU ? ScorerOptions.cpu(inferenceThreads)
                : ScorerOptions.gpu(device, gpuId);
        return ScoringApp.Config.defaults(connection.bootstrapServers(), connection.schemaRegistry(),
                        noContext ? null : openSearch, model, stateDir)
                .withApplicationId(applicationId)
                .withCaseIndex(caseIndex)
                .withGraph(graph, scorer)
                .withTopics(new ScoringTopology.Topics(transactionsTopic, scoresTopic, alertsTopic, dlqTopic))
                .withBatching(batch, Duration.ofMillis(lingerMs))
                .withCommitInterval(Duration.ofMillis(commitMs))
                .withStreamThreads(streamThreads)
                .withContext(new ContextRetriever.Options(Duration.ofMillis(contextMaxAgeMs),
                        Duration.ofDays(contextRetentionDays)))
                .withScoring(new BatchScorer.Options(
                        new DecisionPolicy(alertThreshold, exploreFloor, exploreProbability, 0), alertThreshold, 3,
                        !noModelInputs))
                .withLimits(limits())
                .withExtras(ScoringApp.Extras.defaults()
                        .withTopics(adaptersTopic, labelsTopic)
                        .withCaseIndexer(!noCaseIndexer)
                        .withTrustedKeys(keys()));
    }

    /** The transaction limits these options describe; a bad value names its flag. */
    TransactionValidator.Limits limits() {
        java.util.Map<String, Long> byCurrency = new java.util.HashMap<>();
        maxAmountFor.forEach((currency, max) -> {
            String code = currency.trim().toUpperCase(java.util.Locale.ROOT);
            if (!TransactionValidator.isMoney(code)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--max-amount-for: '" + currency + "' is not an ISO 4217 currency payments are made in");
            }
            if (max < minAmountMinor) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--max-amount-for " + code + "=" + max + " is below --min-amount " + minAmountMinor);
            }
            byCurrency.put(code, max);
        });
        if (minAmountMinor < 0 || maxAmountMinor < minAmountMinor) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--min-amount " + minAmountMinor
                    + " and --max-amount " + maxAmountMinor + ": need 0 <= min <= max");
        }
        if (duplicateWindowHours < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--duplicate-window-hours must be at least 1: " + duplicateWindowHours);
        }
        TransactionValidator.Limits d = TransactionValidator.Limits.defaults();
        return new TransactionValidator.Limits(d.maxIdLength(), minAmountMinor, maxAmountMinor, byCurrency,
                d.maxFuture(), earliestEventTime, Duration.ofHours(duplicateWindowHours));
    }

    /** The trusted keys given, or the default key file when none is given and it exists. */
    private java.util.List<Path> keys() {
        if (!trustedKeys.isEmpty()) {
            return trustedKeys;
        }
        Path local = Path.of(".vigil", "keys", "adapters.pub");
        return java.nio.file.Files.isRegularFile(local) ? java.util.List.of(local) : java.util.List.of();
    }

    @Override
    public Integer call() throws Exception {
        PipelineMetrics metrics = PipelineMetrics.prometheus();
        CountDownLatch stopping = new CountDownLatch(1);
        // SIGTERM or Ctrl-C: the main thread closes the app cleanly (the stop is released after the app's close)
        try (GracefulStop stop = GracefulStop.install("vigil-streams-shutdown", stopping::countDown,
                Duration.ofSeconds(60));
             ScoringApp app = ScoringApp.create(config(), metrics);
             MetricsEndpoint endpoint = metricsPort < 0 ? null
                     : MetricsEndpoint.start(metricsHost, metricsPort, metrics, app::health)) {
            app.start(Duration.ofMinutes(2));
            System.out.println("scoring " + transactionsTopic + " -> " + scoresTopic + ", " + alertsTopic + ", "
                    + dlqTopic + (endpoint == null ? "" : "; metrics on http://" + metricsHost + ":" + endpoint.port()
                    + "/metrics") + "; Ctrl-C stops");
            System.out.flush();
            stopping.await();
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamsCommand()).execute(args));
    }

    static final class GraphConverter implements CommandLine.ITypeConverter<ScoringApp.Graph> {
        @Override
        public ScoringApp.Graph convert(String value) {
            return ScoringApp.Graph.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    static final class DeviceConverter implements CommandLine.ITypeConverter<ScorerOptions.Device> {
        @Override
        public ScorerOptions.Device convert(String value) {
            return ScorerOptions.Device.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }
}
