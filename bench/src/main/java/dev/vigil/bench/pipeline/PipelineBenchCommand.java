package dev.vigil.bench.pipeline;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.context.Case;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackOptions;
import dev.vigil.stack.files.FileTree;
import dev.vigil.streams.ScoringApp;
import dev.vigil.streams.context.CaseIndex;
import dev.vigil.streams.context.OpenSearchHttp;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.metrics.StageCpu;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.streams.scoring.BatchScorer;
import dev.vigil.streams.scoring.ScoringTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil bench pipeline}: the whole scoring topology on a real broker, against a passthrough topology measured
 * in the same run.
 *
 * <pre>
 * ./vigil bench pipeline --model models/NAME [--transactions 100000] [--rate 2000] [--seconds 30] [--no-context]
 * </pre>
 *
 * <ol>
 *   <li>Starts the local stack in a wiped temporary directory (or uses the one {@code --bootstrap-servers},
 *       {@code --schema-registry} and {@code --opensearch} point at) and creates its own topics, 4 partitions for the
 *       transactions and the scores as in production.</li>
 *   <li>Simulates {@code --history-days} of payments and indexes them into a fresh cases index with their chargeback
 *       labels, so that merchant windows and similar-case searches run against a real index; the payments measured
 *       are the simulated days after that history.</li>
 *   <li>Throughput: {@code --transactions} payments are written to the input topic first; the passthrough topology
 *       (same bytes out, exactly_once_v2, the scorer's commit interval and threads) reads them all, then the scoring
 *       app (another application id) does: records per second from RUNNING until the last output is visible to a
 *       read_committed consumer.</li>
 *   <li>Latency: the scorer, now caught up, is offered {@code --rate} payments per second for {@code --warm-up-seconds}
 *       plus {@code --seconds} (record timestamp = send time); for each measured payment, the time a consumer of the
 *       scores topic receives its score minus its arrival time, once with read_uncommitted (the score is written)
 *       and once with read_committed (its Kafka transaction committed: up to one commit interval more).</li>
 * </ol>
 * The last line is always {@code pipeline: T tx/s vs passthrough P tx/s (ratio R); p50 X ms p99 Y ms at L tx/s
 * offered}, with the read_uncommitted ("written") latencies. Nothing is written outside the temporary directory, which
 * is deleted at the end. Exit status 0, 1 when the model is missing or a phase did not finish, 2 for a bad option.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Throughput of the full scoring topology against a passthrough topology in the same run, and "
                + "end-to-end latency at a fixed offered load, on a local stack of its own.",
                "Last line: pipeline: T tx/s vs passthrough P tx/s (ratio R); p50 X ms p99 Y ms at L tx/s offered"})
public final class PipelineBenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "models/vigil", paramLabel = "DIR",
            description = "A model directory written by ./vigil train (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--transactions", defaultValue = "100000", paramLabel = "N",
            description = "Payments pre-loaded for the throughput runs (default: ${DEFAULT-VALUE}).")
    int transactions;

    @Option(names = "--rate", defaultValue = "2000", paramLabel = "TX/S",
            description = "Offered load of the latency run (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seconds", defaultValue = "30", paramLabel = "S",
            description = "Measured seconds of the latency run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warm-up-transactions", defaultValue = "60000", paramLabel = "N",
            description = "Payments the scorer reads before the throughput runs, untimed, to let the JIT compile "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmUpTransactions;

    @Option(names = "--warm-up-seconds", defaultValue = "5", paramLabel = "S",
            description = "Seconds offered before measuring latency (default: ${DEFAULT-VALUE}).")
    int warmUpSeconds;

    @Option(names = "--history-days", defaultValue = "14", paramLabel = "DAYS",
            description = "Simulated days indexed as labeled cases before measuring (default: ${DEFAULT-VALUE}).")
    int historyDays;

    @Option(names = "--cards", defaultValue = "2000", description = "Simulated cards (default: ${DEFAULT-VALUE}).")
    int cards;

    @Option(names = "--merchants", defaultValue = "400",
            description = "Simulated merchants (default: ${DEFAULT-VALUE}).")
    int merchants;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-context", description = "Score without OpenSearch retrieval (for comparison).")
    boolean noContext;

    @Option(names = "--case-indexer",
            description = "Also run the case indexer beside the topology (it indexes every score into OpenSearch on "
                    + "the same cores); off by default: the bench measures the topology.")
    boolean caseIndexer;

    @Option(names = "--no-model-inputs",
            description = "Leave the model inputs out of the scores, as ./vigil streams --no-model-inputs does.")
    boolean noModelInputs;

    @Option(names = "--commit-interval-ms", defaultValue = "100", paramLabel = "MS",
            description = "Kafka Streams commit interval of both topologies (default: ${DEFAULT-VALUE}).")
    long commitIntervalMs;

    @Option(names = "--batch", defaultValue = "64", description = "Most payments per inference call (default: "
            + "${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--linger-ms", defaultValue = "5", paramLabel = "MS",
            description = "Longest wait to fill a batch (default: ${DEFAULT-VALUE}).")
    long lingerMs;

    @Option(names = "--stream-threads", description = "Stream threads of both topologies, and threads of the model "
            + "alone (default: the scorer's, 2 or 1 on a single core); the scorer is also measured with the other "
            + "count (1 or 2).")
    int streamThreads = ScoringApp.DEFAULT_STREAM_THREADS;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this running broker instead of starting a local stack (with --schema-registry).")
    String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL", description = "Schema registry of a running stack.")
    String schemaRegistry;

    @Option(names = "--opensearch", paramLabel = "URL", description = "OpenSearch of a running stack.")
    String openSearch;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final BatchScorer.Options SCORING = BatchScorer.Options.defaults();

    /** How long the model alone is measured. */
    private static final Duration MODEL_ONLY_TIME = Duration.ofSeconds(5);
    /** How long any phase may take before the bench gives up on it. */
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(5);
    /** How long after the last send the latency run waits for the last scores. */
    private static final Duration LATENCY_WAIT = Duration.ofSeconds(30);

    /** Runs the command on its own (without the {@code ./vigil} launcher). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelDirectory directory;
        FeatureSpec features;
        try {
            directory = new ModelDirectory(model).requireServable();
            features = directory.featureSpec();
        } catch (IllegalArgumentException | IOException e) {
            err.println("bench pipeline: " + e.getMessage() + "; train one with ./vigil train --data FILE "
                    + "--train-from D --train-to D --out " + model + ", or pass --model DIR");
            return 1;
        }
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        boolean ownStack = bootstrapServers == null;
        Path work = Files.createTempDirectory("vigil-bench-pipeline-");
        LocalStack stack = null;
        String runId = UUID.randomUUID().toString().substring(0, 8);
        BenchTopics topics = BenchTopics.named("bench-" + runId + ".");
        String caseIndex = "bench-cases-" + runId;
        try {
            printHeader(out, directory);
            String bootstrap;
            String registryUrl;
            String openSearchUrl;
            List<ProcessHandle> children = List.of();
            if (ownStack) {
                out.println("[1/5] starting the local stack (Kafka KRaft broker in this JVM, schema registry, "
                        + "OpenSearch with k-NN) in " + work + " ...");
                out.flush();
                stack = LocalStack.start(StackOptions.in(work.resolve("stack")).withWipe(true));
                bootstrap = stack.bootstrapServers();
                registryUrl = stack.schemaRegistryUrl();
                openSearchUrl = stack.openSearchUrl();
                children = stack.childProcesses();
                out.printf(Locale.ROOT, "      up in %.1f s: kafka %s, registry %s, opensearch %s%n",
                        stack.startupTime().toMillis() / 1000.0, bootstrap, registryUrl, openSearchUrl);
            } else {
                out.println("[1/5] using the running stack at " + bootstrapServers + ", " + schemaRegistry + ", "
                        + openSearch);
                bootstrap = bootstrapServers;
                registryUrl = schemaRegistry;
                openSearchUrl = openSearch;
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                topics.create(admin);
                try {
                    return run(out, err, directory, features, topics, caseIndex, work, bootstrap, registryUrl,
                            noContext ? null : openSearchUrl, children);
                } finally {
                    if (!ownStack) {
                        topics.delete(admin);
                    }
                }
            }
        } finally {
            if (!ownStack && openSearch != null && !noContext) {
                try {
                    new CaseIndex(new OpenSearchHttp(openSearch), caseIndex, features).delete().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    err.println("bench pipeline: could not delete the index " + caseIndex + ": " + e);
                }
            }
            if (stack != null) {
                out.println("stopping the local stack ...");
                out.flush();
                stack.close();
            }
            deleteTree(work);
        }
    }

    private int run(PrintWriter out, PrintWriter err, ModelDirectory directory, FeatureSpec features,
                    BenchTopics topics, String caseIndex, Path work, String bootstrap, String registryUrl,
                    String openSearchUrl, List<ProcessHandle> children) throws Exception {
        // -- the workload: a labeled history for the index, then the payments measured ---------------------------
        int latencyPayments = PacedProducer.needed(rate, Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds));
        SimulationConfig simulation = SimulationConfig.of(Math.min(SimulationConfig.MAX_DAYS, historyDays + 365),
                cards, merchants, seed);
        out.printf(Locale.ROOT, "[2/5] simulating %d days of history, then %,d + %,d payments after it (%,d cards, "
                + "%,d merchants, seed %d) ...%n", historyDays, transactions, latencyPayments, cards, merchants, seed);
        out.flush();
        long t = System.nanoTime();
        BenchWorkload workload = BenchWorkload.simulate(simulation, historyDays, transactions + latencyPayments,
                new FeatureEncoder(features)).endingAt(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        out.printf(Locale.ROOT, "      %,d history payments (%s to %s, %,d frauds), %,d to measure, in %.1f s%n",
                workload.historyCases().size(), workload.historyStart(), workload.historyEnd(),
                workload.historyFrauds(), workload.measured().size(), (System.nanoTime() - t) / 1e9);
        ModelOnly modelOnly = ModelOnly.measure(directory.int8(), ScorerOptions.cpu(1), directory.adapter(),
                new FeatureEncoder(features), workload.measured(), batch, streamThreads, MODEL_ONLY_TIME);
        out.printf(Locale.ROOT, "      model-only: %,.0f tx/s (int8 graph, batch %d, %d thread(s), no Kafka: %.1f us per "
                + "payment and thread)%n", modelOnly.perSecond(), batch, streamThreads, modelOnly.microsPerTx());
        out.flush();
        if (openSearchUrl != null) {
            indexHistory(out, workload, new CaseIndex(new OpenSearchHttp(openSearchUrl), caseIndex, features));
        } else {
            out.println("      --no-context: no cases index, every score is degraded with context_disabled");
        }

        SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
        AvroSerde<Transaction> transactionSerde = new AvroSerde<>(Transaction.class, registry, true);
        // event times at the offered pace after the history (see BenchWorkload.endingAt): the pre-loaded payments as if
        // they had arrived at --rate, the latency run's from its start
        List<PacedProducer.Payment> encoded = new ArrayList<>(workload.measured().size());
        for (int i = 0; i < transactions; i++) {
            Transaction tx = BenchWorkload.at(workload.measured().get(i), workload.historyEnd(), i, rate);
            encoded.add(new PacedProducer.Payment(tx.getCardId().getBytes(StandardCharsets.UTF_8),
                    transactionSerde.encode(topics.throughput().transactions(), tx)));
        }
        out.printf(Locale.ROOT, "[3/5] pre-loading %,d payments into %s (4 partitions, keyed by card) ...%n",
                transactions, topics.throughput().transactions());
        out.flush();
        t = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 20)) {
            for (PacedProducer.Payment p : encoded.subList(0, transactions)) {
                producer.send(new ProducerRecord<>(topics.throughput().transactions(), p.key(), p.value()));
            }
            producer.flush();
        }
        out.printf(Locale.ROOT, "      written in %.1f s%n", (System.nanoTime() - t) / 1e9);

        // -- throughput: passthrough, then the scorer, on the same input --------------------------------------------
        Duration commit = Duration.ofMillis(commitIntervalMs);
        Duration linger = Duration.ofMillis(lingerMs);
        out.printf(Locale.ROOT, "[4/5] throughput: each topology reads the %,d payments from the beginning; timed "
                + "from RUNNING until the last output is visible to read_committed consumers%n", transactions);
        out.flush();
        out.printf(Locale.ROOT, "      warm-up: the scorer reads the first %,d (untimed), so that the JIT has compiled "
                + "its code as in a scorer that has run for a while%n", warmUpTransactions);
        out.flush();
        long warm = System.nanoTime();
        scorerThroughput(null, "warm-up", streamThreads, topics.warmUp(), warmUpTransactions, bootstrap, registryUrl,
                openSearchUrl, caseIndex, topics, work, children);
        out.printf(Locale.ROOT, "      warmed up in %.1f s%n", (System.nanoTime() - warm) / 1e9);
        CpuSnapshot cpu0 = CpuSnapshot.now(children);
        CpuSnapshot[] cpu1 = new CpuSnapshot[1];
        Throughput passthrough = passthrough(bootstrap, topics, work, commit, linger,
                () -> cpu1[0] = CpuSnapshot.now(children));
        out.printf(Locale.ROOT, "      passthrough: %,.0f tx/s (%,d in %.2f s; steady 10%%-90%%: %,.0f tx/s)%s%n",
                passthrough.perSecond(), passthrough.records(), passthrough.seconds(), passthrough.steadyPerSecond(),
                passthrough.complete() ? "" : " INCOMPLETE");
        out.println("        cpu: " + cpu1[0].coresSince(cpu0, "passthrough"));
        out.flush();

        ScorerRun throughputRun = scorerThroughput(out, "scorer:     ", streamThreads, topics.throughput(), transactions,
                bootstrap, registryUrl, openSearchUrl, caseIndex, topics, work, children);
        Throughput scorer = throughputRun.throughput();
        int otherThreads = streamThreads == 1 ? 2 : 1;
        scorerThroughput(out, String.format(Locale.ROOT, "scorer, %d stream thread%s:", otherThreads,
                        otherThreads == 1 ? "" : "s"), otherThreads, topics.otherThreads(), transactions, bootstrap,
                registryUrl, openSearchUrl, caseIndex, topics, work, children);
        out.println("      (the two scorers ran in this order, the same payments: the second has had more JIT warm-up, which "
                + "here has moved either by up to a third)");

        // -- latency at a fixed offered load: a fresh scorer on fresh topics, nothing queued before it --------------
        out.printf(Locale.ROOT, "[5/5] latency: %.0f tx/s offered for %d s warm-up + %d s measured (record timestamp = "
                + "send time) to a fresh scorer (new application id, fresh topics) with nothing queued%n", rate,
                warmUpSeconds, seconds);
        out.flush();
        PipelineMetrics metrics = PipelineMetrics.prometheus();
        AvroSerde<FraudScore> scoreSerde = new AvroSerde<>(FraudScore.class, registry);
        String scores = topics.latency().scores();
        Percentiles written;
        boolean allReceived;
        try (ScoringApp app = ScoringApp.create(scorerConfig(bootstrap, registryUrl, openSearchUrl, caseIndex,
                topics.latency(), topics, "latency", work), metrics)) {
            app.start(Duration.ofMinutes(2));
            try (LatencyProbe uncommitted = new LatencyProbe(bootstrap, scores, "read_uncommitted", scoreSerde);
                 LatencyProbe committed = new LatencyProbe(bootstrap, scores, "read_committed", scoreSerde);
                 KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 1)) {
                CpuSnapshot lat0 = CpuSnapshot.now(children);
                ScorerStats s0 = ScorerStats.of(metrics);
                Instant latencyStart = Instant.now().plusMillis(500);
                List<PacedProducer.Payment> offered = new ArrayList<>(latencyPayments);
                for (int i = transactions; i < workload.measured().size(); i++) {
                    Transaction tx = BenchWorkload.at(workload.measured().get(i), latencyStart, i - transactions, rate);
                    offered.add(new PacedProducer.Payment(tx.getCardId().getBytes(StandardCharsets.UTF_8),
                            transactionSerde.encode(topics.latency().transactions(), tx)));
                }
                PacedProducer.Sent sent = PacedProducer.run(producer, topics.latency().transactions(), offered, rate,
                        Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds));
                long from = sent.measuredFromMillis();
                allReceived = uncommitted.await(from, sent.measured(), LATENCY_WAIT)
                        & committed.await(from, sent.measured(), Duration.ofSeconds(5));
                CpuSnapshot lat1 = CpuSnapshot.now(children);
                ScorerStats stats = ScorerStats.of(metrics).minus(s0);
                // a score not received by now took at least this long: counted so, the percentiles stay honest
                long floor = System.currentTimeMillis() - sent.endMillis();
                long[] gotWritten = uncommitted.endToEnd(from);
                long[] gotVisible = committed.endToEnd(from);
                written = Percentiles.of(LatencyProbe.censored(gotWritten, sent.measured(), floor));
                Percentiles visible = Percentiles.of(LatencyProbe.censored(gotVisible, sent.measured(), floor));
                Percentiles inApp = Percentiles.of(LatencyProbe.censored(uncommitted.inApp(from), sent.measured(),
                        floor));
                out.printf(Locale.ROOT, "      offered %,d payments, %,d measured at %.0f tx/s; scores received: %,d "
                                + "written, %,d visible to read_committed%n", sent.total(), sent.measured(),
                        sent.measuredRate(), gotWritten.length, gotVisible.length);
                if (!allReceived) {
                    out.printf(Locale.ROOT, "      NOT KEPT UP: %,d measured scores not received %d s after the last "
                                    + "send; each counted as %,d ms (a lower bound) in the percentiles%n",
                            sent.measured() - gotWritten.length, LATENCY_WAIT.toSeconds(), floor);
                }
                out.printf(Locale.ROOT, "      %-58s %7s %7s %7s %7s %7s%n", "latency, ms", "p50", "p90", "p99",
                        "p99.9", "max");
                latencyRow(out, "end to end, written (read_uncommitted consumer receives it)", written);
                latencyRow(out, "end to end, visible to read_committed consumers", visible);
                latencyRow(out, "inside the app (scored_time - arrival_time)", inApp);
                out.println("        cpu: " + lat1.coresSince(lat0, "scorer"));
                printStats(out, stats, (lat1.wallNanos() - lat0.wallNanos()) / 1e9 * streamThreads,
                        lat1.streamThreadNanos() - lat0.streamThreadNanos());
            }
        }

        double ratio = scorer.perSecond() / passthrough.perSecond();
        out.printf(Locale.ROOT, "targets: throughput >= 30%% of passthrough: %s (%.1f%%); p99 <= 50 ms at 2000 tx/s "
                        + "offered: %s%n", ratio >= 0.30 ? "met" : "MISSED", 100 * ratio,
                rate < 2000 ? "not measured (rate below 2000)" : written.p99() <= 50 ? "met" : "MISSED");
        out.println(lastLine(scorer.perSecond(), passthrough.perSecond(), written.p50(), written.p99(), rate,
                modelOnly.perSecond()));
        out.flush();
        return passthrough.complete() && scorer.complete() && allReceived ? 0 : 1;
    }

    /** The scorer's throughput run and what its counters say about it. */
    private record ScorerRun(Throughput throughput, ScorerStats stats) {}

    /**
     * A scorer with {@code threads} stream threads reads the pre-loaded payments from the beginning into
     * {@code outputs} until {@code count} outputs are visible to read_committed consumers; printed unless {@code out}
     * is null (the warm-up).
     */
    private ScorerRun scorerThroughput(PrintWriter out, String label, int threads, ScoringTopology.Topics outputs,
                                       long count, String bootstrap, String registryUrl, String openSearchUrl,
                                       String caseIndex, BenchTopics topics, Path work, List<ProcessHandle> children)
            throws Exception {
        PipelineMetrics metrics = PipelineMetrics.prometheus();
        String name = "throughput-" + label.replaceAll("[^a-z0-9]+", "");
        try (ScoringApp app = ScoringApp.create(scorerConfig(bootstrap, registryUrl, openSearchUrl, caseIndex, outputs,
                topics, name, work).withStreamThreads(threads), metrics)) {
            CpuSnapshot cpu0 = CpuSnapshot.now(children);
            ScorerStats s0 = ScorerStats.of(metrics);
            Throughput scorer;
            try (CommittedCount counted = new CommittedCount(bootstrap, List.of(outputs.scores(), outputs.dlq()),
                    count)) {
                app.start(Duration.ofMinutes(2));
                long start = System.nanoTime();
                boolean complete = counted.await(PHASE_TIMEOUT);
                scorer = Throughput.of(counted, complete, start, System.nanoTime());
            }
            CpuSnapshot cpu1 = CpuSnapshot.now(children);
            ScorerStats stats = ScorerStats.of(metrics).minus(s0);
            if (out != null) {
                out.printf(Locale.ROOT, "      %s %,.0f tx/s (%,d in %.2f s; steady 10%%-90%%: %,.0f tx/s)%s%n", label,
                        scorer.perSecond(), scorer.records(), scorer.seconds(), scorer.steadyPerSecond(),
                        scorer.complete() ? "" : " INCOMPLETE: stopped after " + PHASE_TIMEOUT.toMinutes() + " min");
                out.println("        cpu: " + cpu1.coresSince(cpu0, "scorer"));
                printStats(out, stats, scorer.seconds() * threads, cpu1.streamThreadNanos() - cpu0.streamThreadNanos());
                out.flush();
            }
            return new ScorerRun(scorer, stats);
        }
    }

    private ScoringApp.Config scorerConfig(String bootstrap, String registryUrl, String openSearchUrl, String caseIndex,
                                           ScoringTopology.Topics t, BenchTopics topics, String name, Path work) {
        return ScoringApp.Config.defaults(bootstrap, registryUrl, openSearchUrl, model, work.resolve("state-" + name))
                .withApplicationId("bench-" + topics.prefix() + name)
                .withTopics(t)
                .withCaseIndex(caseIndex)
                .withBatching(batch, Duration.ofMillis(lingerMs))
                .withCommitInterval(Duration.ofMillis(commitIntervalMs))
                .withStreamThreads(streamThreads)
                .withScoring(new BatchScorer.Options(SCORING.policy(), SCORING.explainAbove(), SCORING.topReasons(),
                        !noModelInputs))
                .withExtras(ScoringApp.Extras.defaults().withTopics(topics.adapters(), topics.labels())
                        .withCaseIndexer(caseIndexer)
                        .withIndexerGroupId("bench-" + topics.prefix() + name + "-indexer"));
    }

    /** The line every run ends with (the format is a contract: scripts read it). */
    public static String lastLine(double pipeline, double passthrough, double p50, double p99, double offered,
                                  double modelOnly) {
        return String.format(Locale.ROOT, "pipeline: %.0f tx/s vs passthrough %.0f tx/s (ratio %.2f); p50 %.0f ms "
                + "p99 %.0f ms at %.0f tx/s offered; model-only %.0f tx/s (ratio %.2f)", pipeline, passthrough,
                pipeline / passthrough, p50, p99, offered, modelOnly, pipeline / modelOnly);
    }

    private Throughput passthrough(String bootstrap, BenchTopics topics, Path work, Duration commit, Duration linger,
                                   Runnable beforeClose) throws InterruptedException {
        Properties props = ScoringApp.streamsProperties("bench-" + topics.prefix() + "passthrough", bootstrap,
                work.resolve("state-passthrough"), commit, streamThreads, linger, 1);
        try (CommittedCount count = new CommittedCount(bootstrap, List.of(topics.passthrough()), transactions)) {
            KafkaStreams streams = new KafkaStreams(PassthroughTopology.build(topics.throughput().transactions(),
                    topics.passthrough()), props);
            try {
                long launched = System.nanoTime();
                streams.start();
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (streams.state() != KafkaStreams.State.RUNNING) {
                    if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                        throw new IllegalStateException("the passthrough topology did not start: " + streams.state());
                    }
                    Thread.sleep(5);
                }
                long start = System.nanoTime();
                boolean complete = count.await(PHASE_TIMEOUT);
                if (count.reachedNanos(1) != 0 && count.reachedNanos(1) < start) {
                    // a thread whose partitions were assigned first may copy a small input before the application
                    // as a whole reports RUNNING (2026-12-03: 40,000 records "in 0 s"): time it from its start
                    start = launched;
                }
                Throughput result = Throughput.of(count, complete, start, System.nanoTime());
                beforeClose.run();
                return result;
            } finally {
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(30)));
            }
        }
    }

    private void indexHistory(PrintWriter out, BenchWorkload workload, CaseIndex index) throws Exception {
        out.printf(Locale.ROOT, "      indexing the history into %s: %,d cases, %,d chargeback labels ...%n",
                index.name(), workload.historyCases().size(), workload.historyLabels().size());
        out.flush();
        long t = System.nanoTime();
        index.createIfAbsent(CaseIndex.Settings.singleNode()).get(60, TimeUnit.SECONDS);
        List<Case> cases = workload.historyCases();
        for (int i = 0; i < cases.size(); i += 2000) {
            CaseIndex.BulkResult r = index.upsert(cases.subList(i, Math.min(cases.size(), i + 2000)))
                    .get(60, TimeUnit.SECONDS);
            if (!r.ok()) {
                throw new IllegalStateException("indexing the history failed: " + r.failures().subList(0,
                        Math.min(3, r.failures().size())));
            }
        }
        for (int i = 0; i < workload.historyLabels().size(); i += 2000) {
            CaseIndex.BulkResult r = index.applyLabels(workload.historyLabels().subList(i,
                    Math.min(workload.historyLabels().size(), i + 2000))).get(60, TimeUnit.SECONDS);
            if (!r.ok()) {
                throw new IllegalStateException("labeling the history failed: " + r.failures().subList(0,
                        Math.min(3, r.failures().size())));
            }
        }
        index.refresh().get(60, TimeUnit.SECONDS);
        out.printf(Locale.ROOT, "      %,d documents searchable after %.1f s%n", index.count().get(30, TimeUnit.SECONDS),
                (System.nanoTime() - t) / 1e9);
    }

    private void printHeader(PrintWriter out, ModelDirectory directory) {
        Runtime rt = Runtime.getRuntime();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        boolean launched = args.size() >= 2 && args.get(0).equals("bench") && args.get(1).equals("pipeline");
        out.println("bench pipeline: ./vigil " + (launched ? "" : "bench pipeline ") + String.join(" ", args));
        out.printf(Locale.ROOT, "  machine: %d cores, %s %s, Java %s (%s), max heap %,d MB; load average %.2f "
                + "before the run (other processes share these cores)%n",
                rt.availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rt.maxMemory() >> 20,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.printf(Locale.ROOT, "  model: %s, int8 graph on the CPU (1 intra-op thread); batch <= %d, linger %d ms, "
                        + "commit interval %d ms, %d stream thread(s); context %s%s%s%n", directory == null ? model : model.toAbsolutePath(), batch, lingerMs,
                commitIntervalMs, streamThreads, noContext ? "off (--no-context)" : "on (local, loaded from OpenSearch and the topics)",
                caseIndexer ? ", case indexer on" : "", noModelInputs ? ", no model inputs in the scores" : "");
        out.flush();
    }

    private static void printStats(PrintWriter out, ScorerStats s, double threadSeconds, long streamCpuNanos) {
        out.printf(Locale.ROOT, "        scored %,.0f (dead letters %,.0f); mean batch %.1f; degraded %.1f%% %s%n",
                s.scored(), s.deadLetters(), s.meanBatch(), 100 * s.degradedShare(), s.degradedByReason());
        double inference = s.inferenceNanos() / 1e9;
        out.printf(Locale.ROOT, "        per tx: inference %.1f us (wall), context lookup %.1f us (wall, in memory); "
                        + "alerts %.2f%%, reviews %.2f%% (each explained by occlusion: 11 rows through the model)%n",
                s.inferenceMicrosPerTx(), s.retrievalMicrosPerTx(), 100 * s.alerts() / s.scored(),
                100 * s.reviews() / s.scored());
        out.printf(Locale.ROOT, "        stream thread wall time: %.1f s, of which inference %.1f s (%.0f%%)%n",
                threadSeconds, inference, 100 * inference / threadSeconds);
        printStages(out, s, streamCpuNanos, threadSeconds);
    }

    /** The stream threads' CPU time per payment, by stage (thread CPU time, {@link StageCpu}). */
    private static void printStages(PrintWriter out, ScorerStats s, long streamCpuNanos, double threadSeconds) {
        if (s.scored() == 0) {
            return;
        }
        out.printf(Locale.ROOT, "        stream thread CPU per payment (thread CPU time)              us/tx    share%n");
        double total = streamCpuNanos / 1e3 / s.scored();
        for (StageCpu.Stage stage : StageCpu.Stage.values()) {
            double us = s.stageMicrosPerTx(stage);
            out.printf(Locale.ROOT, "          %-58s %7.1f %7.1f%%%n", stage.label(), us, 100 * us / total);
        }
        double rest = (streamCpuNanos - s.stagesNanos()) / 1e3 / s.scored();
        out.printf(Locale.ROOT, "          %-58s %7.1f %7.1f%%%n", "commit, poll and Streams' loop (the rest)", rest,
                100 * rest / total);
        // threadSeconds is wall time times the stream threads: this is how busy each thread was, not the cores used
        out.printf(Locale.ROOT, "          %-58s %7.1f   (each stream thread busy %.0f%% of the time)%n", "total",
                total, 100 * streamCpuNanos / 1e9 / threadSeconds);
    }

    private static void latencyRow(PrintWriter out, String name, Percentiles p) {
        out.printf(Locale.ROOT, "      %-58s %7.0f %7.0f %7.0f %7.0f %7.0f%n", name, p.p50(), p.p90(), p.p99(),
                p.p999(), p.max());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (transactions < 1000) {
            throw new CommandLine.ParameterException(cl, "--transactions must be at least 1000, got " + transactions);
        }
        if (warmUpTransactions < 1 || warmUpTransactions > transactions) {
            throw new CommandLine.ParameterException(cl, "--warm-up-transactions must be in [1, --transactions], got "
                    + warmUpTransactions);
        }
        if (rate <= 0 || seconds < 1 || warmUpSeconds < 0) {
            throw new CommandLine.ParameterException(cl, "--rate must be positive, --seconds at least 1 and "
                    + "--warm-up-seconds at least 0");
        }
        if (historyDays < 1 || batch < 1 || lingerMs < 1 || commitIntervalMs < 1 || streamThreads < 1) {
            throw new CommandLine.ParameterException(cl, "--history-days, --batch, --linger-ms, --commit-interval-ms "
                    + "and --stream-threads must be at least 1");
        }
        boolean any = bootstrapServers != null || schemaRegistry != null || openSearch != null;
        if (any && (bootstrapServers == null || schemaRegistry == null || (openSearch == null && !noContext))) {
            throw new CommandLine.ParameterException(cl, "a running stack needs --bootstrap-servers, "
                    + "--schema-registry and --opensearch (or --no-context) together");
        }
    }

    private static void deleteTree(Path root) {
        try {
            FileTree.delete(root);
        } catch (IOException e) {
            System.err.println("bench pipeline: could not delete " + root + ": " + e.getMessage());
        }
    }

    /**
     * This run's own topics: for the throughput runs (their input, the passthrough's output, the scorer's outputs) and
     * fresh ones for the latency run; 4 partitions for transactions and scores, as in production.
     */
    record BenchTopics(String prefix, ScoringTopology.Topics throughput, String passthrough,
                       ScoringTopology.Topics latency, String adapters, String labels) {

        static BenchTopics named(String prefix) {
            return new BenchTopics(prefix, new ScoringTopology.Topics(prefix + "transactions", prefix + "scores",
                    prefix + "alerts", prefix + "dlq"), prefix + "passthrough",
                    new ScoringTopology.Topics(prefix + "latency.transactions", prefix + "latency.scores",
                            prefix + "latency.alerts", prefix + "latency.dlq"),
                    prefix + "adapters", prefix + "labels");
        }

        /** The JIT warm-up's outputs (it reads the throughput input). */
        ScoringTopology.Topics warmUp() {
            return outputs("warmup.");
        }

        /** The outputs of the run with the other number of stream threads (it reads the throughput input). */
        ScoringTopology.Topics otherThreads() {
            return outputs("threads.");
        }

        private ScoringTopology.Topics outputs(String name) {
            return new ScoringTopology.Topics(throughput.transactions(), prefix + name + "scores",
                    prefix + name + "alerts", prefix + name + "dlq");
        }

        List<String> all() {
            List<String> all = new ArrayList<>(List.of(throughput.transactions(), throughput.scores(),
                    throughput.alerts(), throughput.dlq(), passthrough, latency.transactions(), latency.scores(),
                    latency.alerts(), latency.dlq(), adapters, labels));
            for (ScoringTopology.Topics t : List.of(warmUp(), otherThreads())) {
                all.addAll(List.of(t.scores(), t.alerts(), t.dlq()));
            }
            return all;
        }

        void create(Admin admin) throws Exception {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : all()) {
                boolean wide = name.endsWith("transactions") || name.endsWith("scores") || name.equals(passthrough);
                NewTopic topic = new NewTopic(name, wide ? 4 : 1, (short) 1);
                if (name.equals(adapters)) {
                    topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                topics.add(topic);
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }

        void delete(Admin admin) {
            try {
                admin.deleteTopics(all()).all().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("bench pipeline: could not delete the topics " + prefix + "*: " + e);
            }
        }
    }
}
