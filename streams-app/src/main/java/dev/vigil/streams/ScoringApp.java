package dev.vigil.streams;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.cards.CardTokens;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.model.scoring.SplitGraphs;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.streams.adapters.AdapterSlot;
import dev.vigil.streams.adapters.AdapterUpdater;
import dev.vigil.model.adapter.AdapterVerifier;
import dev.vigil.streams.indexer.CaseIndexer;
import dev.vigil.streams.indexer.CaseIndexerConfig;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.streams.adapters.LiveReleaseFile;
import dev.vigil.streams.context.CaseIndex;
import dev.vigil.streams.context.ContextFollower;
import dev.vigil.streams.context.LocalContext;
import dev.vigil.streams.context.OpenSearchHttp;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.BatchScorer;
import dev.vigil.streams.scoring.ContextRetriever;
import dev.vigil.streams.scoring.InputReader;
import dev.vigil.streams.scoring.ScoringProcessor;
import dev.vigil.streams.scoring.ScoringTopology;
import dev.vigil.streams.scoring.StreamErrorHandlers;
import dev.vigil.streams.scoring.TransactionValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring application: loads a model directory, builds {@link ScoringTopology}, and runs it on Kafka Streams with
 * exactly_once_v2, next to its metrics. {@link #start()} returns once the streams are running; {@link #close()} leaves
 * the consumer group (a restart takes about a second instead of a session timeout) and releases the model.
 */
public final class ScoringApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScoringApp.class);

    /**
     * Stream threads by default: two, or one on a single core. A commit waits for the thread's Kafka transaction (10-30
     * ms under load here), and stops every partition of that thread meanwhile: with two threads it stops half of them.
     * Throughput with one or two threads on this 2-core machine, shared with the broker, is within the run-to-run noise
     * (streams-app/README.md, "1 or 2 stream threads").
     */
    public static final int DEFAULT_STREAM_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

    /** Which serving graph to run. */
    public enum Graph { INT8, FP32 }

    /**
     * Everything the app is configured with.
     *
     * @param openSearchUrl null runs without retrieval (every score degraded with {@code context_disabled})
     * @param stateDir Kafka Streams' state directory (RocksDB stores)
     * @param cardTokens card ids become tokens at the door (null: they pass in clear; see {@link CardTokens})
     */
    public record Config(String bootstrapServers, String registryUrl, String openSearchUrl, String caseIndex,
                         Path modelDir, Graph graph, ScorerOptions scorer, String applicationId, Path stateDir,
                         ScoringTopology.Topics topics, int maxBatch, Duration linger, Duration commitInterval,
                         int streamThreads, ContextRetriever.Options context, BatchScorer.Options scoring,
                         int replicationFactor, Extras extras, TransactionValidator.Limits limits,
                         CardTokens cardTokens) {

        public Config {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(registryUrl, "registryUrl");
            Objects.requireNonNull(modelDir, "modelDir");
            Objects.requireNonNull(stateDir, "stateDir");
            Objects.requireNonNull(limits, "limits");
            StreamsSettings.BATCH.check(maxBatch);
            StreamsSettings.APPLICATION_ID.check(applicationId);
            if (linger.isNegative()) {
                throw StreamsSettings.LINGER_MS.invalid(linger.toMillis());
            }
            if (commitInterval.isNegative() || commitInterval.isZero()) {
                throw StreamsSettings.COMMIT_INTERVAL_MS.invalid(commitInterval.toMillis());
            }
        }

        /**
         * Defaults: int8 on one CPU thread per call, batches of up to 64 or 5 ms, commit every 100 ms,
         * {@link #DEFAULT_STREAM_THREADS} stream threads.
         */
        public static Config defaults(String bootstrapServers, String registryUrl, String openSearchUrl, Path modelDir,
                                      Path stateDir) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, StreamsSettings.CASE_INDEX.defaultValue(),
                    modelDir, StreamsSettings.GRAPH.defaultValue(),
                    ScorerOptions.cpu(StreamsSettings.INFERENCE_THREADS.defaultValue()),
                    StreamsSettings.APPLICATION_ID.defaultValue(), stateDir, ScoringTopology.Topics.standard(),
                    StreamsSettings.BATCH.defaultValue(), Duration.ofMillis(StreamsSettings.LINGER_MS.defaultValue()),
                    Duration.ofMillis(StreamsSettings.COMMIT_INTERVAL_MS.defaultValue()), DEFAULT_STREAM_THREADS,
                    ContextRetriever.Options.defaults(),
                    BatchScorer.Options.defaults(), 1, Extras.defaults(),
                    TransactionValidator.Limits.defaults(), null);
        }

        public Config withExtras(Extras e) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, topics, maxBatch, linger, commitInterval, streamThreads, context, scoring,
                    replicationFactor, e, limits, cardTokens);
        }

        public Config withApplicationId(String id) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer, id,
                    stateDir, topics, maxBatch, linger, commitInterval, streamThreads, context, scoring,
                    replicationFactor, extras, limits, cardTokens);
        }

        public Config withTopics(ScoringTopology.Topics t) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, t, maxBatch, linger, commitInterval, streamThreads, context, scoring,
                    replicationFactor, extras, limits, cardTokens);
        }

        public Config withCaseIndex(String index) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, index, modelDir, graph, scorer,
                    applicationId, stateDir, topics, maxBatch, linger, commitInterval, streamThreads, context, scoring,
                    replicationFactor, extras, limits, cardTokens);
        }

        public Config withBatching(int batch, Duration lingerTime) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, topics, batch, lingerTime, commitInterval, streamThreads, context, scoring,
                    replicationFactor, extras, limits, cardTokens);
        }

        public Config withCommitInterval(Duration interval) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, topics, maxBatch, linger, interval, streamThreads, context, scoring,
                    replicationFactor, extras, limits, cardTokens);
        }

        public Config withGraph(Graph g, ScorerOptions options) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, g, options,
                    applicationId, stateDir, topics, maxBatch, linger, commitInterval, streamThreads, context, scoring,
                    replicationFactor, extras, limits, cardTokens);
        }

        public Config withContext(ContextRetriever.Options options) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, topics, maxBatch, linger, commitInterval, streamThreads, options, scoring,
                    replicationFactor, extras, limits, cardTokens);
        }

        public Config withStreamThreads(int threads) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, topics, maxBatch, linger, commitInterval, threads, context, scoring,
                    replicationFactor, extras, limits, cardTokens);
        }

        /** What a transaction must satisfy beyond its schema (ids, amounts, currencies, event times). */
        public Config withLimits(TransactionValidator.Limits l) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, topics, maxBatch, linger, commitInterval, streamThreads, context, scoring,
                    replicationFactor, extras, l, cardTokens);
        }

        /** Card ids become tokens at the door ({@link TransactionValidator}); null: they pass in clear. */
        public Config withCardTokens(CardTokens tokens) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, topics, maxBatch, linger, commitInterval, streamThreads, context, scoring,
                    replicationFactor, extras, limits, tokens);
        }

        public Config withScoring(BatchScorer.Options options) {
            return new Config(bootstrapServers, registryUrl, openSearchUrl, caseIndex, modelDir, graph, scorer,
                    applicationId, stateDir, topics, maxBatch, linger, commitInterval, streamThreads, context, options,
                    replicationFactor, extras, limits, cardTokens);
        }
    }

    /**
     * What runs beside the topology: the adapter updater (verifying releases against {@code trustedKeys}; with none,
     * every release is rejected as signed by an unknown key) and, when {@code caseIndexer} is set and context is on,
     * the case indexer (fraud.scores and fraud.labels into the cases index; its consumer group is
     * {@code indexerGroupId}, by default the application id + {@code -case-indexer}).
     */
    public record Extras(String adaptersTopic, java.util.List<Path> trustedKeys, boolean caseIndexer, String labelsTopic,
                         String indexerGroupId) {
        public static Extras defaults() {
            return new Extras(dev.vigil.schemas.Topics.ADAPTERS, java.util.List.of(), true,
                    dev.vigil.schemas.Topics.LABELS, null);
        }

        public Extras withTrustedKeys(java.util.List<Path> keys) {
            return new Extras(adaptersTopic, keys, caseIndexer, labelsTopic, indexerGroupId);
        }

        public Extras withCaseIndexer(boolean on) {
            return new Extras(adaptersTopic, trustedKeys, on, labelsTopic, indexerGroupId);
        }

        public Extras withTopics(String adapters, String labels) {
            return new Extras(adapters, trustedKeys, caseIndexer, labels, indexerGroupId);
        }

        public Extras withIndexerGroupId(String group) {
            return new Extras(adaptersTopic, trustedKeys, caseIndexer, labelsTopic, group);
        }
    }

    private final Config config;
    private final PipelineMetrics metrics;
    private AdapterUpdater updater;
    /** Set once {@link #close} begins, so {@link #health} does not call the updater's orderly stop a failure. */
    private volatile boolean closing;
    private CaseIndexer indexer;
    private final OnnxScorer scorer;
    private final SplitGraphs split; // null: reasons from whole rows
    private final AdapterSlot adapters;
    private final String baseModelHash;
    private final KafkaStreams streams;

    private final LocalContext context; // null: retrieval off
    private final CaseIndex caseIndex;
    private final OpenSearchHttp openSearch;
    private ContextFollower follower;

    private ScoringApp(Config config, PipelineMetrics metrics, OnnxScorer scorer, SplitGraphs split,
                       AdapterSlot adapters, String baseModelHash, KafkaStreams streams, LocalContext context,
                       CaseIndex caseIndex, OpenSearchHttp openSearch) {
        this.split = split;
        this.context = context;
        this.caseIndex = caseIndex;
        this.openSearch = openSearch;
        this.config = config;
        this.metrics = metrics;
        this.scorer = scorer;
        this.adapters = adapters;
        this.baseModelHash = baseModelHash;
        this.streams = streams;
    }

    /** Loads the model and builds the streams (not started yet). */
    public static ScoringApp create(Config config, PipelineMetrics metrics) throws IOException {
        ModelDirectory model = new ModelDirectory(config.modelDir()).requireServable();
        FeatureSpec spec = model.featureSpec();
        FeatureEncoder encoder = new FeatureEncoder(spec);
        String baseHash = model.baseModelHash();
        ModelDirectory.AdapterIdentity first = model.adapterIdentity();
        Adapter firstAdapter = model.adapter();
        OnnxScorer scorer = OnnxScorer.load(config.graph() == Graph.INT8 ? model.int8() : model.fp32(),
                config.scorer(), firstAdapter);
        // the int8 graph's halves make reasons about five times cheaper; on the CPU, where the int8 graph runs
        SplitGraphs split = config.graph() == Graph.INT8 && config.scorer().device() == ScorerOptions.Device.CPU
                ? SplitGraphs.load(model, config.scorer()).orElse(null) : null;
        try {
            AdapterSlot adapters = new AdapterSlot(new LiveAdapter(first.version(), first.sequence(), firstAdapter));
            metrics.adapterLive(first.version());
            SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
            LocalContext context = null;
            ContextRetriever retriever = null;
            CaseIndex index = null;
            OpenSearchHttp http = null;
            if (config.openSearchUrl() != null) {
                http = new OpenSearchHttp(config.openSearchUrl());
                index = new CaseIndex(http, config.caseIndex(), spec);
                try {
                    index.createIfAbsent(CaseIndex.Settings.singleNode()).get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // the context loads from the topics alone; the case indexer retries until OpenSearch answers
                    log.warn("cannot reach the cases index {} at {} ({}); the context is loaded from the topics",
                            config.caseIndex(), config.openSearchUrl(), e.getCause() != null ? e.getCause() : e);
                }
                context = new LocalContext(spec.caseVectorDimension(), config.context().retention());
                retriever = new ContextRetriever(context, config.context());
                metrics.context(context);
            }
            BatchScorer batchScorer = new BatchScorer(encoder, scorer, split, adapters, retriever, config.scoring(),
                    baseHash.substring(0, 12), metrics, System::currentTimeMillis);
            ScoringProcessor.Shared shared = wire(config, batchScorer, encoder, registry, metrics,
                    System::currentTimeMillis, InputReader.kafka(KafkaClients.config(config.bootstrapServers()),
                            Duration.ofSeconds(60)));
            Topology topology = ScoringTopology.build(shared);
            Properties properties = properties(config, shared);
            KafkaStreams streams = new KafkaStreams(topology, properties);
            log.info("scoring with {} ({}, base {}, adapter {}), context {}", config.graph(), scorer.runsOn(),
                    baseHash.substring(0, 12), first.version(),
                    context == null ? "off" : "local, loaded from " + config.openSearchUrl() + " index "
                            + config.caseIndex() + " and the topics");
            return new ScoringApp(config, metrics, scorer, split, adapters, baseHash, streams, context, index, http);
        } catch (RuntimeException e) {
            scorer.close();
            closeQuietly(split);
            throw e;
        } catch (Exception e) {
            scorer.close();
            closeQuietly(split);
            throw new IOException("cannot start the scorer: " + e.getMessage(), e);
        }
    }

    /**
     * What the topology's processors share, wired as the scorer runs: the registry's serdes, and the stream threads
     * never wait on the registry: every schema they write with, and every one the transactions were written with so
     * far, is fetched now; a schema id first seen later makes its first record wait 2 s at most (a dead letter if the
     * registry has not answered by then), never a stall. The validator, batching and topics come from the config.
     */
    static ScoringProcessor.Shared wire(Config config, BatchScorer batchScorer, FeatureEncoder encoder,
            SchemaRegistryClient registry, PipelineMetrics metrics, LongSupplier clock, InputReader input) {
        AvroSerde<Transaction> transactions = new AvroSerde<>(Transaction.class, registry)
                .boundFetches(SCHEMA_FETCH_WAIT, Duration.ofSeconds(10));
        transactions.warmReaders(config.topics().transactions());
        AvroSerde<FraudScore> scoreSerde = new AvroSerde<>(FraudScore.class, registry, true);
        AvroSerde<FraudAlert> alertSerde = new AvroSerde<>(FraudAlert.class, registry, true);
        AvroSerde<DeadLetter> letterSerde = new AvroSerde<>(DeadLetter.class, registry, true);
        scoreSerde.warmWriter(config.topics().scores());
        alertSerde.warmWriter(config.topics().alerts());
        letterSerde.warmWriter(config.topics().dlq());
        return new ScoringProcessor.Shared(
                new TransactionValidator(transactions, config.topics().transactions(), config.limits(),
                        config.cardTokens()),
                batchScorer, encoder, scoreSerde, alertSerde, letterSerde,
                config.topics(), config.maxBatch(), config.linger(), config.applicationId(), metrics, clock, input);
    }

    /** The Streams settings ({@link #properties(Config)}) with the error handlers' dead-letter sink. */
    static Properties properties(Config config, ScoringProcessor.Shared shared) {
        Properties properties = properties(config);
        properties.put(StreamErrorHandlers.CONFIG_KEY, new StreamErrorHandlers.Sink(config.topics().dlq(),
                shared.deadLetters(), shared.metrics(), config.applicationId()));
        return properties;
    }

    /** The longest a stream thread waits for a transaction's writer schema it has not seen before. */
    public static final Duration SCHEMA_FETCH_WAIT = Duration.ofSeconds(2);

    /** How long a scorer that stops heart-beating keeps its partitions (Kafka's default: 45 s). */
    public static final int SESSION_TIMEOUT_MS = 6_000;
    /** How long an open transaction of a dead scorer blocks its partitions (Kafka Streams' default: 10 s). */
    public static final int TRANSACTION_TIMEOUT_MS = 5_000;

    static Properties properties(Config config) {
        Properties p = streamsProperties(config.applicationId(), config.bootstrapServers(), config.stateDir(),
                config.commitInterval(), config.streamThreads(), config.linger(), config.replicationFactor());
        // no record can stop the stream: a refused send or a processing error becomes a dead letter (the handlers
        // find their sink in the configuration, see create)
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamErrorHandlers.Production.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamErrorHandlers.Processing.class);
        return p;
    }

    /** Warm copies of each store kept by other scorer instances ({@code num.standby.replicas}). */
    public static final int STANDBY_REPLICAS = 1;

    /**
     * The Kafka Streams settings the scorer runs with, but for its error handlers: also those of the bench's
     * passthrough, the baseline the scorer is measured against.
     */
    public static Properties streamsProperties(String applicationId, String bootstrapServers, Path stateDir,
                                               Duration commitInterval, int streamThreads, Duration linger,
                                               int replicationFactor) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers)); // first: the scorer's own settings win over the file's
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        // a wall-clock punctuation must not wait behind a long poll: poll briefly when the topic is quiet
        // (at most Kafka Streams' default of 100 ms, whatever the linger)
        p.put(StreamsConfig.POLL_MS_CONFIG, (int) Math.max(1, Math.min(100, linger.toMillis())));
        // the record timestamp is the arrival time (latency is measured from it); an invalid one must not stop the stream
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, UsePartitionTimeOnInvalidTimestamp.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // failover in seconds: a scorer that dies (SIGKILL, a lost host) is out of the group after 6 s (the broker's
        // smallest session by default; 45 s by default), and its open transaction is aborted after 5 s (10 s by
        // default), so the survivors restore and score its partitions (a clean stop leaves the group at once)
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), SESSION_TIMEOUT_MS / 3);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
        // with two scorers or more, each keeps a warm copy of another's stores (card state, scored ids): a survivor
        // takes over a dead scorer's partitions without restoring them from the changelog first, and a scorer that
        // comes back gets its partitions again only once its copy has caught up (one instance: no effect)
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, STANDBY_REPLICAS);
        // no global store here; on, as Kafka 5 will have it, Kafka Streams stops warning about it at every start
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return p;
    }

    /**
     * Starts the adapter updater (and waits, within {@code timeout}, until it has read the releases already published,
     * so that the first score uses the latest good adapter), the case indexer, then the streams, and waits until they
     * run.
     */
    public void start(Duration timeout) throws InterruptedException, IOException {
        Extras extras = config.extras();
        java.util.List<java.security.PublicKey> keys = new java.util.ArrayList<>();
        for (Path key : extras.trustedKeys()) {
            keys.add(dev.vigil.model.adapter.SigningKeys.readPublicKey(key));
        }
        if (keys.isEmpty()) {
            log.warn("no trusted adapter signing key configured (--trusted-key): adapter hot-swap is off, scoring "
                    + "stays on adapter {}", adapters.get().version());
        } else {
            startUpdater(keys, timeout);
        }
        String indexerGroup = extras.indexerGroupId() != null ? extras.indexerGroupId()
                : config.applicationId() + "-case-indexer";
        if (context != null) {
            startFollower(extras.caseIndexer() ? indexerGroup : null, timeout);
        }
        if (extras.caseIndexer() && config.openSearchUrl() != null) {
            indexer = new CaseIndexer(CaseIndexerConfig.defaults(config.bootstrapServers(), config.registryUrl(),
                            config.openSearchUrl())
                    .withIndexName(config.caseIndex())
                    .withGroupId(indexerGroup)
                    .withTopics(config.topics().scores(), extras.labelsTopic(), config.topics().dlq()));
            indexer.start();
        }
        startStreams(timeout);
    }

    /**
     * Starts the context follower and waits, within {@code timeout}, until it has loaded the cases index and read the
     * labels and scores topics to their end, so that the first payments are scored with their context.
     */
    private void startFollower(String indexerGroup, Duration timeout) throws InterruptedException {
        SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
        follower = new ContextFollower(new ContextFollower.Config(
                KafkaClients.config(config.bootstrapServers()),
                config.topics().scores(), config.extras().labelsTopic(), indexerGroup, caseIndex, openSearch,
                Duration.ofSeconds(10)), context,
                new AvroSerde<>(FraudScore.class, registry, false), new AvroSerde<>(FraudLabel.class, registry, false))
                .start();
        if (!follower.awaitLoaded(timeout)) {
            log.warn("the local context has not finished loading within {}; payments are scored without context "
                    + "(context_unavailable) until it has", timeout);
        }
    }

    private void startUpdater(java.util.List<java.security.PublicKey> keys, Duration timeout)
            throws InterruptedException {
        Extras extras = config.extras();
        SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
        java.util.Map<String, Object> kafka = KafkaClients.config(config.bootstrapServers());
        AdapterVerifier verifier = new AdapterVerifier(keys, baseModelHash, scorer.signature(), adapters::get);
        // the release live before a restart comes back first, so an older one replayed on the topic is stale
        LiveReleaseFile liveFile = new LiveReleaseFile(config.stateDir(), baseModelHash);
        liveFile.restore(verifier, adapters).ifPresent(live -> metrics.adapterLive(live.version()));
        updater = new AdapterUpdater(kafka, extras.adaptersTopic(),
                new AvroSerde<>(AdapterRelease.class, registry).deserializer(), verifier, adapters,
                new AdapterUpdater.Listener() {
                    @Override
                    public void applied(LiveAdapter live) {
                        metrics.adapterLive(live.version());
                    }

                    @Override
                    public void rejected(String version, String reason) {
                        metrics.adapterRejected(reason);
                    }
                }, liveFile).start();
        Duration catchUp = timeout.compareTo(Duration.ofSeconds(30)) < 0 ? timeout : Duration.ofSeconds(30);
        if (!updater.awaitCaughtUp(catchUp)) {
            log.warn("the adapter updater has not read {} to its end within {}; scoring starts with adapter {}",
                    extras.adaptersTopic(), catchUp, adapters.get().version());
        }
    }

    private void startStreams(Duration timeout) throws InterruptedException {
        streams.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed; replacing it", e);
            metrics.streamThreadFailed(e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the scoring streams stopped while starting: " + streams.state());
            }
            Thread.sleep(20);
        }
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new IllegalStateException("the scoring streams did not reach RUNNING within " + timeout
                    + " (state " + streams.state() + ")");
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** How long input may wait unscored, or output uncommitted, before {@link #health} says the stream is stuck. */
    public static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private volatile Duration stuckAfter = STUCK_AFTER;
    private final CommitWatch commitWatch = new CommitWatch(System.nanoTime());

    /** Tests: a shorter {@link #STUCK_AFTER}. */
    void stuckAfter(Duration after) {
        this.stuckAfter = after;
    }

    /**
     * The body of {@code /health}: "UP RUNNING" (or REBALANCING) while the stream moves; "DOWN ..." with the reason
     * when it stopped, when stream threads keep dying (three within a minute: a record or a fault that every
     * replacement meets again), when the adapter updater's thread has stopped (hot swap is off), when input waits
     * and nothing was scored for {@link #STUCK_AFTER}, or when a batch was scored and nothing was committed for as
     * long ({@link CommitWatch}).
     */
    public String health() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            return "DOWN " + state;
        }
        int failures = metrics.streamThreadFailures(Duration.ofMinutes(1));
        if (failures >= 3) {
            return "DOWN stream threads failing: " + failures + " replaced in the last minute, the last with "
                    + dev.vigil.schemas.DeadLetters.cutText(String.valueOf(metrics.lastStreamThreadFailure()), 300);
        }
        if (updater != null && !updater.isRunning() && !closing) {
            return "DOWN adapter updater stopped: adapter " + adapters.get().version()
                    + " stays live and no release can replace it until a restart";
        }
        double lag = inputLag();
        long idleSeconds = (System.nanoTime() - metrics.lastProgressNanos()) / 1_000_000_000L;
        if (lag > 0 && idleSeconds >= stuckAfter.toSeconds()) {
            return "DOWN not making progress: " + (long) lag + " input records waiting, nothing scored for "
                    + idleSeconds + " s";
        }
        String uncommitted = commitWatch.check(threadMetric("commit-total"), metrics.lastProgressNanos(),
                (long) threadMetric("blocked-time-ns-total"), System.nanoTime(), stuckAfter);
        if (uncommitted != null) {
            return "DOWN not making progress: " + uncommitted;
        }
        return "UP " + state;
    }

    /** The sum over the stream threads of a {@code stream-thread-metrics} total, e.g. {@code commit-total}. */
    private double threadMetric(String name) {
        double sum = 0;
        for (var metric : streams.metrics().values()) {
            if (metric.metricName().name().equals(name) && metric.metricName().group().equals("stream-thread-metrics")
                    && metric.metricValue() instanceof Double d && !d.isNaN()) {
                sum += d;
            }
        }
        return sum;
    }

    /**
     * Output that is scored but never committed is not progress: a broker that refuses every score (a scores topic
     * whose {@code max.message.bytes} is below a score, say) keeps the producer retrying and the transaction open,
     * while the input lag reads 0. Seen from {@link #health}: a batch was scored after the last commit it saw, and no
     * commit has followed for {@code stuckAfter}. (The batch's own time, from {@link PipelineMetrics#progress}, not
     * Kafka Streams' {@code process-total}, which may be recorded only after the commit that blocks.)
     */
    static final class CommitWatch {
        private static final long NONE = Long.MIN_VALUE;
        private double commits;
        private long commitSeenNanos;
        private long blockedAtCommitNanos;
        private long uncommittedSince = NONE;

        /**
         * {@code startNanos}: when the streams were built (no commit yet). A stall that begins between two looks is
         * seen at the next; one that begins before the first look after a commit is missed, so poll {@code /health}
         * from the start (as an orchestrator does).
         */
        CommitWatch(long startNanos) {
            this.commitSeenNanos = startNanos;
        }

        /**
         * A reason to say DOWN, or null. {@code blockedNanosTotal}: the stream threads' {@code blocked-time-ns-total},
         * time spent blocked on Kafka. A commit is seen only at a look, so a batch scored just before a commit that
         * the next look sees reads as committed; if the thread then blocks in the next transaction (the broker
         * refusing the output) nothing is ever scored again to show it. An idle thread is not blocked, a stuck one is:
         * no commit for {@code stuckAfter} while the threads were blocked for half of it or more is no progress too.
         */
        synchronized String check(double commitTotal, long lastProgressNanos, long blockedNanosTotal, long nowNanos,
                Duration stuckAfter) {
            if (commitTotal != commits) {
                commits = commitTotal;
                commitSeenNanos = nowNanos;
                blockedAtCommitNanos = blockedNanosTotal;
                uncommittedSince = NONE;
                return null;
            }
            if (lastProgressNanos - commitSeenNanos <= 0) { // nothing scored since the last commit seen
                long quiet = nowNanos - commitSeenNanos;
                long blocked = blockedNanosTotal - blockedAtCommitNanos;
                return quiet >= stuckAfter.toNanos() && blocked >= quiet / 2
                        ? "nothing committed for " + quiet / 1_000_000_000L + " s while the stream threads were "
                                + "blocked on Kafka for " + blocked / 1_000_000_000L + " s (is the broker refusing the "
                                + "output? see the producer's warnings)"
                        : null;
            }
            if (uncommittedSince == NONE) {
                uncommittedSince = lastProgressNanos;
            }
            long seconds = (nowNanos - uncommittedSince) / 1_000_000_000L;
            return seconds >= stuckAfter.toSeconds() ? "output scored and nothing committed for " + seconds
                    + " s (is the broker refusing it? see the producer's warnings)" : null;
        }
    }

    /** The largest consumer lag of the stream threads on the input topic (0 when unknown). */
    private double inputLag() {
        double lag = 0;
        for (var metric : streams.metrics().values()) {
            if (metric.metricName().name().equals("records-lag-max")
                    && metric.metricName().group().equals("consumer-fetch-manager-metrics")
                    && !String.valueOf(metric.metricName().tags().get("client-id")).endsWith("restore-consumer")
                    && metric.metricValue() instanceof Double d && !d.isNaN()) {
                lag = Math.max(lag, d);
            }
        }
        return lag;
    }

    /** The Kafka Streams instance (tests add threads to it, to move tasks between threads). */
    KafkaStreams streams() {
        return streams;
    }

    public AdapterSlot adapters() {
        return adapters;
    }

    public OnnxScorer scorer() {
        return scorer;
    }

    public String baseModelHash() {
        return baseModelHash;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public Config config() {
        return config;
    }

    /** The adapter updater (null before {@link #start}). */
    public AdapterUpdater updater() {
        return updater;
    }

    /** The scorer's local context (null when retrieval is off). */
    public LocalContext context() {
        return context;
    }

    /** The follower that keeps the local context current (null before {@link #start}, or when retrieval is off). */
    public ContextFollower follower() {
        return follower;
    }

    /** The case indexer (null when it does not run). */
    public CaseIndexer indexer() {
        return indexer;
    }

    @Override
    public void close() {
        closing = true;
        if (indexer != null) {
            indexer.close();
        }
        if (updater != null) {
            updater.close();
        }
        if (follower != null) {
            follower.close();
        }
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        scorer.close();
        closeQuietly(split);
    }

    private static void closeQuietly(SplitGraphs split) {
        if (split != null) {
            split.close();
        }
    }
}
