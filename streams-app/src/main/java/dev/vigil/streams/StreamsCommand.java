package dev.vigil.streams;

import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.cards.CardTokens;
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

/**
 * {@code ./vigil streams --model models/NAME}: runs the scoring application until stopped (Ctrl-C or SIGTERM).
 * Options that are settings carry only their names: defaults, docs and rules are {@link StreamsSettings}'.
 */
@Command(name = "streams", mixinStandardHelpOptions = true, defaultValueProvider = StreamsSettings.class,
        resourceBundle = "dev.vigil.streams.StreamsSettings",
        description = "Score every transaction of payments.transactions in real time (Kafka Streams, exactly once) "
                + "and publish fraud.scores, fraud.alerts and fraud.dlq. Runs until stopped.")
public final class StreamsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory (./vigil train).")
    Path model;

    @Option(names = "--opensearch-config", paramLabel = "FILE", defaultValue = "${env:VIGIL_OPENSEARCH_CONFIG}",
            description = "OpenSearch's basic.auth.user.info and ssl.truststore.* (env VIGIL_OPENSEARCH_CONFIG).")
    Path openSearchConfig;

    @Option(names = "--opensearch", paramLabel = "URL", defaultValue = "${env:VIGIL_OPENSEARCH_URL:-http://localhost:9200}",
            description = "OpenSearch URL of the cases index: the case indexer writes it, the local context loads from "
                    + "it at start (env VIGIL_OPENSEARCH_URL). Default: ${DEFAULT-VALUE}.")
    String openSearch;

    @Option(names = "--no-context", description = "Score without retrieval context (every score is flagged degraded).")
    boolean noContext;

    @Option(names = "--case-index")
    String caseIndex;

    @Option(names = "--graph", converter = GraphConverter.class)
    ScoringApp.Graph graph;

    @Option(names = "--device", converter = DeviceConverter.class)
    ScorerOptions.Device device;

    @Option(names = "--gpu-id")
    int gpuId;

    @Option(names = "--inference-threads")
    int inferenceThreads;

    @Option(names = "--application-id")
    String applicationId;

    @Option(names = "--state-dir")
    Path stateDir;

    @Option(names = "--stream-threads", description = "Stream threads (each scores its share of the partitions). "
            + "Default: 2, or 1 on a single core.")
    int streamThreads = ScoringApp.DEFAULT_STREAM_THREADS;

    @Option(names = "--batch")
    int batch;

    @Option(names = "--linger-ms")
    long lingerMs;

    @Option(names = "--commit-interval-ms")
    long commitMs;

    @Option(names = "--context-max-age-ms")
    long contextMaxAgeMs;

    @Option(names = "--context-retention-days")
    long contextRetentionDays;

    @Option(names = "--alert-threshold")
    double alertThreshold;

    @Option(names = "--review-budget")
    int reviewBudget;

    @Option(names = "--explore-share")
    double exploreShare;

    @Option(names = "--no-model-inputs", description = "Leave the model inputs out of fraud.scores (the fingerprint stays).")
    boolean noModelInputs;

    @Option(names = "--metrics-port")
    int metricsPort;

    @Option(names = "--metrics-host")
    String metricsHost;

    @Option(names = "--trusted-key", paramLabel = "PEM",
            description = "Public key (X.509 PEM) whose signatures on fraud.adapters releases are trusted; repeatable. "
                    + "Default: .vigil/keys/adapters.pub when it exists.")
    java.util.List<Path> trustedKeys = new java.util.ArrayList<>();

    @Option(names = "--no-case-indexer", description = "Do not run the case indexer in this process.")
    boolean noCaseIndexer;

    @Option(names = "--card-key", paramLabel = "FILE",
            description = "Card ids become tokens at the door (HMAC-SHA-256 with this key file's first key; "
                    + "./vigil cards keygen). Default: $" + CardTokens.ENV + " (the key lines), else "
                    + ".vigil/keys/card.key when it exists; with none, card ids pass in clear (a warning says so).")
    Path cardKey;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--max-amount", paramLabel = "MINOR")
    long maxAmountMinor;

    @Option(names = "--max-amount-for", paramLabel = "CUR=MINOR",
            description = "Largest amount accepted for one currency, in its minor units, e.g. EUR=5000000; repeatable.")
    java.util.Map<String, Long> maxAmountFor = new java.util.LinkedHashMap<>();

    @Option(names = "--min-amount", paramLabel = "MINOR")
    long minAmountMinor;

    @Option(names = "--earliest-event-time", paramLabel = "ISO-8601")
    java.time.Instant earliestEventTime;

    @Option(names = "--duplicate-window-hours", paramLabel = "H")
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
    public ScoringApp.Config config() throws java.io.IOException {
        ScorerOptions scorer = device == ScorerOptions.Device.CPU ? ScorerOptions.cpu(inferenceThreads)
                : ScorerOptions.gpu(device, gpuId);
        if (openSearchConfig != null) {
            dev.vigil.schemas.HttpAccess.register(openSearch, dev.vigil.schemas.HttpAccess.load(openSearchConfig));
        }
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
                        new DecisionPolicy(alertThreshold, reviewBudget, exploreShare, 0), alertThreshold, 3,
                        !noModelInputs))
                .withLimits(limits())
                .withCardTokens(CardTokens.resolve(cardKey))
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
        try {
            TransactionValidator.Limits.DUPLICATE_WINDOW_HOURS.check(duplicateWindowHours);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
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
        ScoringApp.Config config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            // a value that breaks its setting's rule: the message names the flag
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PipelineMetrics metrics = PipelineMetrics.prometheus();
        CountDownLatch stopping = new CountDownLatch(1);
        // SIGTERM or Ctrl-C: the main thread closes the app cleanly (the stop is released after the app's close)
        try (GracefulStop stop = GracefulStop.install("vigil-streams-shutdown", stopping::countDown,
                Duration.ofSeconds(60));
             ScoringApp app = ScoringApp.create(config, metrics);
             MetricsEndpoint endpoint = metricsPort < 0 ? null
                     : MetricsEndpoint.start(metricsHost, metricsPort, metrics, app::health)) {
            app.start(Duration.ofMinutes(2));
            if (config.cardTokens() == null) {
                org.slf4j.LoggerFactory.getLogger(StreamsCommand.class).warn("card ids are not tokenized: they pass "
                        + "in clear into card state, scores, alerts, the cases index and logs (give --card-key, or "
                        + "${}; ./vigil cards keygen makes a key)", CardTokens.ENV);
            } else {
                System.out.println("card ids become tokens with key " + config.cardTokens().currentKeyId());
            }
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
