package dev.vigil.cli.demo;

import dev.vigil.schemas.cards.CardTokens;
import dev.vigil.simulator.replay.TokenizingSink;
import dev.vigil.cli.bench.Machine;
import dev.vigil.cli.dashboard.Dashboard;
import dev.vigil.cli.logging.HarnessLogs;
import dev.vigil.cli.report.ReportWriter;
import dev.vigil.cli.report.RunReport;
import dev.vigil.console.Console;
import dev.vigil.console.ConsoleServer;
import dev.vigil.console.security.Users;
import dev.vigil.feedback.FeedbackConfig;
import dev.vigil.feedback.FeedbackLoop;
import dev.vigil.model.Engines;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.analysts.AnalystSimulator;
import dev.vigil.simulator.analysts.ReviewClock;
import dev.vigil.simulator.analysts.ReviewPolicy;
import dev.vigil.simulator.generate.PaymentSimulator;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.simulator.generate.SimulationSummary;
import dev.vigil.simulator.replay.BadRowLog;
import dev.vigil.simulator.replay.KafkaReplaySink;
import dev.vigil.simulator.replay.RecordTimestamps;
import dev.vigil.simulator.replay.CardholderReports;
import dev.vigil.simulator.replay.ReplayOptions;
import dev.vigil.simulator.replay.ReplayProgress;
import dev.vigil.simulator.replay.ReplayReport;
import dev.vigil.simulator.replay.ReplayTopics;
import dev.vigil.simulator.replay.ReplayWindow;
import dev.vigil.simulator.replay.TransactionReplayer;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackOptions;
import dev.vigil.stack.TopicSpec;
import dev.vigil.stack.files.FileTree;
import dev.vigil.streams.ScoringApp;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.BatchScorer;
import dev.vigil.streams.scoring.ContextRetriever;
import dev.vigil.trainer.card.ModelCard;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of {@code ./vigil demo}, top to bottom as it happens:
 * <ol>
 *   <li>the local stack (broker, registry, OpenSearch on loopback, wiped), Vigil's topics and value schemas;</li>
 *   <li>the adapter signing key pair (generated once, kept in the keys folder);</li>
 *   <li>the simulation: history days, then live days, the fuel-station wave from the {@code waveDay}-th;</li>
 *   <li>the base model, trained on the history days only if the model folder holds none;</li>
 *   <li>the scorer ({@link ScoringApp} with the case indexer, trusting the public key), the reader of its output
 *       topics, the {@link FeedbackLoop} (signing with the private key) and the {@link AnalystSimulator}, each on its
 *       own thread;</li>
 *   <li>the analysts' web console ({@link Console}) on 127.0.0.1:8080, one user {@code analyst} whose password is in
 *       {@code <data dir>/console-password};</li>
 *   <li>one replay of the simulation from its last {@code warmUpDays} history days, with chargebacks 7 days after
 *       each fraud: the warm-up at {@code warmUpRate} (card state, cases, logged decisions and labels are then what a
 *       running system would have), then the live days paced at {@code secondsPerDay}; the dashboard meanwhile;</li>
 *   <li>after the last live day is scored, or on {@link #requestStop()}: the moving parts stopped in order (stream,
 *       dashboard, loop, analysts, reader), the frozen adapter's scores finished, the report written, then the
 *       console, the scorer and the stack closed.</li>
 * </ol>
 */
public final class DemoRun {

    /** Without a terminal, a dashboard line every this many seconds (the measurements are still taken every second). */
    private static final int PLAIN_EVERY_SECONDS = 5;
    /** The demo console's one user; the password is in {@code <data dir>/console-password}. */
    static final String CONSOLE_USER = "analyst";
    /** The scorer's alert threshold (the demo runs its default policy), for the frozen adapter's would-be alerts. */
    private static final double ALERT_THRESHOLD = dev.vigil.streams.scoring.DecisionPolicy.defaults().alertThreshold();

    private final DemoSettings settings;
    private final PrintWriter out;
    private final String commandLine;
    private final boolean ansi;
    private final long started = System.nanoTime();
    private final double loadAtStart =
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    private final AtomicReference<String> lastEvent = new AtomicReference<>("");
    private final AtomicReference<FeedbackLoop> loop = new AtomicReference<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final DayTally tally = new DayTally();
    private final LatencyWindow latency = new LatencyWindow(TimeUnit.SECONDS.toNanos(10));
    private volatile boolean stopRequested;
    private boolean stopped;
    private boolean closed;
    private int step;

    private LocalStack stack;
    private ScoringApp app;
    private AnalystSimulator analysts;
    private Console console;
    private OutputReader reader;
    private PacedReplaySink paced;
    private KafkaReplaySink kafkaSink;
    private CardTokens cardTokens;
    private ScheduledExecutorService ticker;
    private DashboardFeed feed;
    private FrozenAdapterScorer frozen;
    private LiveScoreLog liveScores;
    private Thread streamThread;
    private NativeStderr nativeStderr;
    private String degradedReasons;
    private volatile ReplayReport replayReport;
    private volatile Throwable replayFailure;

    public DemoRun(DemoSettings settings, PrintWriter out, String commandLine, boolean ansi) {
        this.settings = settings;
        this.out = out;
        this.commandLine = commandLine;
        this.ansi = ansi;
    }

    /** Whether the output is a terminal the dashboard can redraw (otherwise plain lines). */
    public static boolean isTerminal() {
        return Dashboard.isAnsiTerminal() && Terminal.interactive();
    }

    /** Ends the run early (Ctrl-C): the stream stops, and the run shuts down and reports what it has. */
    public void requestStop() {
        stopRequested = true;
        PacedReplaySink sink = paced;
        if (sink != null) {
            sink.stop();
        }
    }

    /** Runs the demo; returns the report's Markdown file. */
    public Path run() throws Exception {
        Files.createDirectories(settings.dataDir());
        boolean logsMoved = HarnessLogs.redirectTo(settings.logFile());
        configureEngines();
        try {
            return runSteps(logsMoved);
        } finally {
            shutdown();
            if (logsMoved) {
                HarnessLogs.restore();
            }
        }
    }

    private Path runSteps(boolean logsMoved) throws Exception {
        out.printf(Locale.ROOT, "Vigil demo: %d history days, then %d live days at %s s a day; %,d cards, %,d "
                        + "merchants, seed %d%n", settings.historyDays(), settings.liveDays(),
                trim(settings.secondsPerDay()), settings.cards(), settings.merchants(), settings.seed());
        out.println(logsMoved ? "      logs: " + settings.logFile() : "      logs: stderr");
        out.flush();

        step("starting the local stack (Kafka KRaft broker, schema registry, OpenSearch with k-NN)");
        stack = LocalStack.start(StackOptions.in(settings.dataDir().resolve("stack")).withWipe(true));
        say("up in %.1f s: kafka %s, registry %s, opensearch %s", stack.startupTime().toMillis() / 1000.0,
                stack.bootstrapServers(), stack.schemaRegistryUrl(), stack.openSearchUrl());
        checkStop();

        step("creating the topics and registering the value schemas");
        stack.createTopics(Topics.ALL.stream().map(t -> new TopicSpec(t.name(), t.partitions(), t.compacted()))
                .toList());
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        registry.checkReachable();
        Topics.registerValueSchemas(registry);
        say("%d topics, %d value schemas", Topics.ALL.size(), Topics.ALL.size());

        step("adapter signing keys");
        KeyPair keys = signingKeys();
        cardTokens = cardTokens();

        step("simulating the payments");
        SimulatedTruth truth = new SimulatedTruth();
        SimulationConfig simulation = SimulationConfig.of(settings.totalDays(), settings.cards(),
                        settings.merchants(), settings.seed())
                .withStart(DemoSettings.START).withWaveStartDay(settings.waveStartIndex());
        SimulationSummary summary = new PaymentSimulator(simulation).writeCsv(settings.simulationCsv(), truth::add);
        say("%,d payments over %d days (%s .. %s), %,d fraud (%.2f%%); the fuel-station wave starts %s -> %s",
                summary.transactions(), settings.totalDays(), DemoSettings.START,
                DemoSettings.START.plusDays(settings.totalDays() - 1), summary.frauds(), 100 * summary.fraudRate(),
                settings.waveStartDay(), settings.simulationCsv());
        checkStop();

        step("base model");
        ModelDirectory model = baseModel();
        checkStop();

        step("starting the scorer, the case indexer, the feedback loop and the analysts");
        startPipeline(model, keys, registry, truth);

        step("starting the analysts' web console");
        startConsole(model);

        step(String.format(Locale.ROOT, "streaming: the last %d history days at %s (warm-up), then %d live days at %s "
                        + "s a day", settings.warmUpDays(), settings.warmUpRate() > 0
                        ? String.format(Locale.ROOT, "%,.0f tx/s", settings.warmUpRate()) : "full speed",
                settings.liveDays(), trim(settings.secondsPerDay())));
        out.println(ansi ? "" : "      (plain output: a dashboard line every few seconds)");
        out.flush();
        stream(registry);
        awaitEnd();

        return finish(truth);
    }

    // ---------------------------------------------------------------- steps

    private KeyPair signingKeys() throws IOException {
        Path privateFile = settings.keysDir().resolve("adapters.key");
        Path publicFile = settings.keysDir().resolve("adapters.pub");
        if (Files.isRegularFile(privateFile) && Files.isRegularFile(publicFile)) {
            KeyPair pair = new KeyPair(SigningKeys.readPublicKey(publicFile), SigningKeys.readPrivateKey(privateFile));
            say("key %s from %s", SigningKeys.keyId(pair.getPublic()), settings.keysDir());
            return pair;
        }
        Files.createDirectories(settings.keysDir());
        KeyPair pair = SigningKeys.generate();
        SigningKeys.writePrivateKey(privateFile, pair.getPrivate());
        SigningKeys.writePublicKey(publicFile, pair.getPublic());
        say("generated key %s: %s (the loop signs), %s (the scorer trusts)", SigningKeys.keyId(pair.getPublic()),
                privateFile, publicFile);
        return pair;
    }

    /** The card key (generated once, kept beside the signing keys): the scorer tokenizes card ids with it. */
    private CardTokens cardTokens() throws IOException {
        Path file = settings.keysDir().resolve("card.key");
        if (!Files.isRegularFile(file)) {
            CardTokens.generate(file, "demo");
            say("generated card key %s (card ids become tokens at the scorer's door)", file);
        }
        CardTokens tokens = CardTokens.load(file);
        say("card key %s from %s", tokens.currentKeyId(), file);
        return tokens;
    }

    private ModelDirectory baseModel() throws IOException {
        Path dir = settings.modelDir();
        if (BaseModelTraining.present(dir)) {
            say("using %s (delete it to train a new one)", dir);
            notes.add("Base model: " + dir + ", found in place (not trained by this run).");
            return new ModelDirectory(dir);
        }
        say("none in %s: training one on the history days only (%s .. %s), %d epochs; trainer log %s", dir,
                DemoSettings.START, settings.liveStartDay().minusDays(1), settings.trainEpochs(),
                settings.dataDir().resolve("train.log"));
        out.flush();
        long t0 = System.nanoTime();
        TrainingProgressBar bar = new TrainingProgressBar(out, ansi);
        ModelCard card = BaseModelTraining.train(settings, settings.simulationCsv(),
                settings.dataDir().resolve("train.log"), bar);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String metrics = card.evaluation().models().stream().findFirst()
                .map(m -> String.format(Locale.ROOT, "served model on its test days: AUC %s, AP %s, CP@%d %s",
                        fmt(m.auc()), fmt(m.averagePrecision()), settings.k(), fmt(m.cardPrecisionAtK())))
                .orElse("no test metrics");
        say("trained in %.0f s; %s", seconds, metrics);
        notes.add(String.format(Locale.ROOT, "Base model trained by this run in %.0f s on the history days before "
                + "the live stream (%s; details in %s/model-card.md).", seconds, metrics, dir));
        return new ModelDirectory(dir);
    }

    private void startPipeline(ModelDirectory model, KeyPair keys, SchemaRegistryClient registry,
                               SimulatedTruth truth) throws Exception {
        // A previous run's card state belongs to a broker that is gone: start from nothing, as the stack does.
        FileTree.delete(settings.dataDir().resolve("streams-state"));
        app = ScoringApp.create(ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        stack.openSearchUrl(), model.root(), settings.dataDir().resolve("streams-state"))
                .withExtras(ScoringApp.Extras.defaults()
                        .withTrustedKeys(List.of(settings.keysDir().resolve("adapters.pub"))))
                .withScoring(BatchScorer.Options.defaults().withPolicy(
                        dev.vigil.streams.scoring.DecisionPolicy.defaults().withReviewCardsPerDay(settings.k())))
                .withCardTokens(cardTokens),
                PipelineMetrics.prometheus());
        app.start(Duration.ofMinutes(2));
        say("scorer running: base %s, adapter %s, case indexer on", app.baseModelHash().substring(0, 12),
                app.adapters().get().version());

        frozen = new FrozenAdapterScorer(model);
        reader = new OutputReader(stack.bootstrapServers(), registry, settings.liveStart(), truth, tally,
                latency, liveScores = new LiveScoreLog(frozen));
        startThread("demo-output-reader", reader);

        // One cycle per simulated day at most: a cycle is due after a live day's worth of wall time with new labels.
        Duration cadence = Duration.ofMillis(Math.max(1000, (long) (settings.secondsPerDay() * 1000)));
        FeedbackLoop feedback = new FeedbackLoop(FeedbackConfig.defaults(stack.bootstrapServers(),
                stack.schemaRegistryUrl(), model, keys.getPrivate(), keys.getPublic())
                .withCadence(1_000_000, cadence));
        loop.set(feedback);
        startThread("demo-feedback-loop", () -> {
            try {
                feedback.run();
            } catch (IOException | RuntimeException e) {
                lastEvent.set("feedback loop stopped: " + e.getMessage());
                org.slf4j.LoggerFactory.getLogger(DemoRun.class).error("the feedback loop failed", e);
            }
        });
        say("feedback loop: a cycle at most every %s s of wall time with new labels, signing with key %s",
                trim(cadence.toMillis() / 1000.0), SigningKeys.keyId(keys.getPublic()));

        Duration idleClose = Duration.ofMillis(Math.max(3000, (long) (settings.secondsPerDay() * 500)));
        analysts = new AnalystSimulator(new AnalystSimulator.Settings(stack.bootstrapServers(), "vigil-demo-analysts",
                Topics.ALERTS, Topics.LABELS, idleClose, false, Duration.ofMillis(200), Duration.ofSeconds(60)),
                new ReviewPolicy(settings.k(), Duration.ofHours(1), Duration.ofHours(1), ReviewClock.DAY_CLOSE, 5),
                truth.forAnalysts(), new AvroSerde<>(FraudAlert.class, registry),
                new AvroSerde<>(FraudLabel.class, registry), line -> lastEvent.set("analysts: " + line));
        AnalystSimulator team = analysts;
        startThread("demo-analysts", () -> {
            try {
                team.run();
            } catch (RuntimeException e) {
                lastEvent.set("analysts stopped: " + e.getMessage());
                org.slf4j.LoggerFactory.getLogger(DemoRun.class).error("the analyst simulator failed", e);
            }
        });
        say("analysts: %d cards a day, sent by the scorer by risk (5%% of them explored across all scores), reviewed "
                + "at the day's close, labels 1 h later", settings.k());
    }

    /**
     * The web console beside the simulated analysts, on 127.0.0.1:8080 (any free port when that one is taken), with
     * one user, {@code analyst}, whose random password is written to {@code <data dir>/console-password} (owner
     * only) and never printed or logged. A console that cannot start is reported and the demo goes on without it.
     */
    private void startConsole(ModelDirectory model) {
        Path usersFile = settings.dataDir().resolve("console-users");
        Path passwordFile = settings.dataDir().resolve("console-password");
        try {
            byte[] random = new byte[18];
            new java.security.SecureRandom().nextBytes(random);
            char[] password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
            writeOwnerOnly(passwordFile, new String(password) + System.lineSeparator());
            Files.deleteIfExists(usersFile);
            Users.addOrReplace(usersFile, Users.create(CONSOLE_USER, password, Users.DEFAULT_ITERATIONS));
            Users.wipe(password);
            console = startConsoleOn(model, usersFile, 8080);
            say("console: %s (user %s, password in %s)", console.url(), CONSOLE_USER, passwordFile);
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DemoRun.class).warn("the console did not start", e);
            say("console not started: %s", e.getMessage());
        }
    }

    private Console startConsoleOn(ModelDirectory model, Path usersFile, int port) throws IOException {
        Console.Settings console = new Console.Settings(new ConsoleServer.Settings("127.0.0.1", port), usersFile,
                settings.dataDir().resolve("console"), model.root(), settings.keysDir().resolve("adapters.key"),
                stack.bootstrapServers(), stack.schemaRegistryUrl(), stack.openSearchUrl(), "cases");
        try {
            return Console.start(console);
        } catch (RuntimeException e) {
            if (port == 0) {
                throw e;
            }
            org.slf4j.LoggerFactory.getLogger(DemoRun.class).info("port {} is taken ({}): any free port", port,
                    e.toString());
            return startConsoleOn(model, usersFile, 0);
        }
    }

    /** Writes a secret to a file only its owner can read (created so before the secret is in it). */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, text);
    }

    private void stream(SchemaRegistryClient registry) {
        kafkaSink = KafkaReplaySink.createLive(stack.bootstrapServers(), new AvroSerde<>(Transaction.class, registry),
                new AvroSerde<>(FraudLabel.class, registry), ReplayTopics.DEFAULT, RecordTimestamps.WALL_CLOCK);
        // the payments reach the scorer in clear and are tokenized at its door; the issuers' chargebacks do not pass
        // the scorer, so the demo tokenizes them as ./vigil replay --card-key does
        paced = new PacedReplaySink(TokenizingSink.labels(kafkaSink, cardTokens), settings.liveStart(), settings.secondsPerDay(), settings.warmUpRate(),
                tally::accounted, Duration.ofMinutes(10));
        if (stopRequested) {
            paced.stop();
        }
        ReplayOptions options = ReplayOptions.defaults().withTrailingLabels(false)
                .withWindow(new ReplayWindow(settings.warmUpStart(), null));
        streamThread = startThread("demo-payment-stream", () -> {
            try {
                replayReport = new TransactionReplayer(paced, options, ReplayProgress.SILENT)
                        .replay(settings.simulationCsv(), new BadRowLog());
            } catch (PacedReplaySink.Stopped e) {
                // Ctrl-C: what was sent stays sent
            } catch (IOException | RuntimeException e) {
                replayFailure = e;
                org.slf4j.LoggerFactory.getLogger(DemoRun.class).error("the payment stream failed", e);
            }
        });
        if (ansi) {
            nativeStderr = NativeStderr.redirectTo(settings.dataDir().resolve("stderr.log"));
        }
        Dashboard dashboard = new Dashboard(out, ansi);
        feed = new DashboardFeed(dashboard, settings, app, loop, reader, tally, latency, lastEvent, started);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-dashboard");
            t.setDaemon(true);
            return t;
        });
        long[] ticks = {0};
        ticker.scheduleAtFixedRate(() -> {
            try {
                feed.tick(ansi || ticks[0]++ % PLAIN_EVERY_SECONDS == 0);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DemoRun.class).warn("dashboard tick failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Waits until every payment sent is scored (or dead-lettered) after the stream's end, or a stop. */
    private void awaitEnd() throws InterruptedException {
        while (!stopRequested && streamThread.isAlive()) {
            streamThread.join(200);
        }
        long lastProgress = System.nanoTime();
        long lastAccounted = -1;
        while (!stopRequested && replayFailure == null && tally.accounted() < paced.sent()) {
            long accounted = tally.accounted();
            if (accounted != lastAccounted) {
                lastAccounted = accounted;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(60)) {
                notes.add(String.format(Locale.ROOT, "The run ended with %,d of %,d payments accounted for "
                        + "(no progress for 60 s).", accounted, paced.sent()));
                break;
            }
            Thread.sleep(100);
        }
        if (stopRequested) {
            notes.add(String.format(Locale.ROOT, "Stopped early (Ctrl-C or SIGTERM) after %,d payments were sent: "
                    + "the table's last day is partial.", paced == null ? 0 : paced.sent()));
        }
    }

    private Path finish(SimulatedTruth truth) throws Exception {
        stopThreads();
        RunReport report = report(truth);
        Path markdown = ReportWriter.write(settings.reportDir(), report);
        say("report: %s (and the charts beside it)", markdown);
        closeServices();
        say("demo finished in %.0f s", (System.nanoTime() - started) / 1e9);
        return markdown;
    }

    // ---------------------------------------------------------------- shutdown and the report

    /**
     * Stops the moving parts in order: the stream, the dashboard, the feedback loop, the analysts and the reader
     * (their threads joined, 15 s each at most), and scores what still waits for the frozen adapter. Idempotent. The
     * report is written right after, before the services are closed: on Ctrl-C the stack's own shutdown hook is
     * already stopping the broker, and the report must not wait for clients that time out against it.
     */
    private void stopThreads() throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        if (paced != null) {
            paced.stop();
        }
        if (ticker != null) {
            ticker.shutdown();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            feed.tick(true);
            feed.finish();
        }
        restoreStderr();
        if (stack != null) {
            step("stopping: the stream, the feedback loop, the analysts, the console, the scorer, the stack");
        }
        FeedbackLoop l = loop.get();
        if (l != null) {
            l.stop();
        }
        if (analysts != null) {
            analysts.stop();
        }
        if (reader != null) {
            reader.stop();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(15));
            if (t.isAlive()) {
                notes.add("Thread " + t.getName() + " did not stop within 15 s.");
            }
        }
        if (liveScores != null) {
            liveScores.flush();
        }
        if (app != null) {
            PipelineMetrics m = app.metrics();
            degradedReasons = java.util.stream.Stream.of(ContextRetriever.STALE, ContextRetriever.UNAVAILABLE,
                            BatchScorer.CONTEXT_DISABLED)
                    .map(r -> r + " " + String.format(Locale.ROOT, "%,d", m.count("vigil.degraded", "reason", r)))
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    private void restoreStderr() {
        if (nativeStderr != null) {
            nativeStderr.close();
            nativeStderr = null;
        }
    }

    /** Closes the services: the producer of the stream, the analysts' clients, the scorer, the stack. Idempotent. */
    private void closeServices() {
        restoreStderr();
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        closeQuietly(console);
        closeQuietly(kafkaSink);
        closeQuietly(analysts);
        closeQuietly(app);
        closeQuietly(frozen);
        closeQuietly(stack);
        if (stack != null) {
            say("stopped in %.1f s", (System.nanoTime() - t0) / 1e9);
        }
    }

    private void shutdown() {
        try {
            stopThreads();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DemoRun.class).warn("stopping", e);
        } finally {
            closeServices();
        }
    }

    private RunReport report(SimulatedTruth truth) {
        LocalDate waveStart = settings.waveStartDay();
        List<RunReport.Day> days = DailyComparison.days(liveScores.entries(),
                truth.knownCompromised(settings.historyStart(), DemoSettings.LABEL_DELAY,
                        ReplayOptions.defaults().cardholder(), cardTokens::token), settings.k(),
                waveStart, tally, truth, ALERT_THRESHOLD,
                day -> analysts == null || analysts.desk().openDays().contains(day) ? -1
                        : analysts.desk().reviewedCards(day)); // a day still open has no count yet
        FeedbackLoop l = loop.get();
        FeedbackLoop.Stats stats = l == null ? null : l.stats();
        List<String> all = new ArrayList<>();
        all.add(String.format(Locale.ROOT, "Simulation: %d history days from %s, then %d live days from %s; %,d "
                        + "cards, %,d merchants, seed %d. The fuel-station fraud wave (merchant_wave) starts on %s "
                        + "(live day %d): the base model never saw it.", settings.historyDays(), DemoSettings.START,
                settings.liveDays(), settings.liveStartDay(), settings.cards(), settings.merchants(), settings.seed(),
                waveStart, settings.waveDay()));
        all.addAll(notes);
        all.add("Warm-up: the last " + settings.warmUpDays() + " history days went through the whole pipeline at "
                + (settings.warmUpRate() > 0 ? String.format(Locale.ROOT, "%,.0f tx/s", settings.warmUpRate())
                : "full speed") + " before the live days, so card state, the cases index, the loop's decision log and the "
                + "analysts' labels were warm (earlier history days only trained the base, and their frauds' "
                + "chargebacks were not published: the case index knows the warm-up's frauds only); the "
                + "live days were then paced at " + trim(settings.secondsPerDay()) + " s of wall time per simulated "
                + "day. Only live days are in the table and the latency histogram.");
        all.add("Loop CP@" + settings.k() + " and AP: the live scores, made by whichever adapter was live. Frozen: "
                + "the model's first adapter on the very inputs the scorer logged (FraudScore.model_inputs) through "
                + "the same int8 graph, scored as the scores arrived; until the loop's first promotion both are "
                + "equal. CP@k follows the evaluation protocol (Handbook known-compromised exclusion with a 7-day "
                + "delay from the simulation's first day, cards found on an earlier live day removed); AP over all "
                + "of the day's payments; truth from the simulation.");
        all.add("Precision@k on the dashboard: today's top k cards by their highest score so far (fewer than k "
                + "early in a day), the share the simulation marks fraudulent today; no exclusion.");
        CardholderReports reports = ReplayOptions.defaults().cardholder();
        all.add(String.format(Locale.ROOT, "Labels: chargebacks come 7 simulated days after a fraud, so those seen "
                + "during the live days are the history's last week's; %.0f%% of the frauds are also reported by their "
                + "cardholder (source CARDHOLDER, a log-normal delay with a median of %s: the replay's defaults, an "
                + "assumption documented in simulator/README.md), and the analysts review %d cards a day that the "
                + "scorer sends by risk, 5%% of them explored across all scores (labels 1 h after the day's close). "
                + "The known-compromised exclusion follows the labels published: a reported card is known from its "
                + "report on.", 100 * reports.share(), (reports.median().toHours() + " h"), settings.k()));
        if (stats != null) {
            all.add(String.format(Locale.ROOT, "Feedback loop: %,d decisions and %,d labels read (%,d joined), %d "
                            + "cycles: %d promoted, %d refused, %d skipped; last outcome: %s.", stats.decisionsRead(),
                    stats.labelsRead(), stats.labelsJoined(), stats.cycles(), stats.published(), stats.refused(),
                    stats.skipped(), stats.lastOutcome()));
        }
        long liveDegraded = days.stream().mapToLong(d -> tally.degraded(d.date())).sum();
        all.add(String.format(Locale.ROOT, "Pipeline: %,d payments scored (warm-up and live), %,d degraded (context "
                        + "missing or stale: %,d of them in the warm-up, which offers payments faster than they "
                        + "arrive live, %,d on the live days), %,d dead letters; %,d live scores without logged inputs "
                        + "(no frozen score).", tally.scoredTotal(), tally.degradedTotal(),
                tally.degradedTotal() - liveDegraded, liveDegraded, tally.deadLettersTotal(),
                liveScores.withoutInputs()));
        all.add("Latency: scored_time - arrival_time of each live score (arrival on payments.transactions to the "
                + "score handed to the producer); a read_committed consumer sees it up to one commit interval "
                + "(100 ms) later. Throughput: the scorer's vigil.transactions.scored counter, rate over 3 s, "
                + "sampled every second of the run (the warm-up first, then the live pace).");
        long waveFrauds = 0;
        long waveAlertedLoop = 0;
        long waveAlertedFrozen = 0;
        for (LiveScoreLog.Entry e : liveScores.entries()) {
            if (truth.isWaveFraud(e.transactionId())) {
                waveFrauds++;
                waveAlertedLoop += e.alerted() ? 1 : 0;
                waveAlertedFrozen += e.frozenScore() >= ALERT_THRESHOLD ? 1 : 0;
            }
        }
        all.add(String.format(Locale.ROOT, "The wave: %,d of the live days' frauds are merchant_wave payments; the "
                        + "live scorer alerted %,d of them, the frozen adapter would have alerted %,d (score >= %.1f, "
                        + "the scorer's alert threshold).", waveFrauds, waveAlertedLoop, waveAlertedFrozen,
                ALERT_THRESHOLD));
        if (degradedReasons != null) {
            all.add("Degraded scores by reason (the scorer's vigil.degraded counter): " + degradedReasons + ".");
        }
        ReplayReport stream = replayReport;
        if (stream != null) {
            all.add(String.format(Locale.ROOT, "Stream: %,d payments (warm-up and live) and %,d fraud labels "
                    + "(chargebacks and cardholder reports) published; %,d due after the last live day were not sent.",
                    stream.transactions(),
                    stream.labelsPublished(), stream.droppedTrailingLabels()));
        }
        if (replayFailure != null) {
            all.add("The payment stream failed: " + replayFailure);
        }
        return new RunReport("Vigil demo", Machine.current().describe() + String.format(Locale.ROOT,
                        ", load average at start %.2f", loadAtStart), commandLine,
                Duration.ofNanos(System.nanoTime() - started), settings.k(), days, latency.kept(),
                feed == null ? List.of() : feed.throughput(), all);
    }

    // ---------------------------------------------------------------- plumbing

    private static void configureEngines() {
        // offline (the natives come from jars) and one libtorch thread; set before DJL loads
        Engines.configureDefaults();
        Engines.initOnnxRuntime();
    }

    private Thread startThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    private void checkStop() {
        if (stopRequested) {
            throw new IllegalStateException("stopped before the stream started");
        }
    }

    private void step(String text) {
        out.printf(Locale.ROOT, "[%d] %s ...%n", ++step, text);
        out.flush();
    }

    private void say(String format, Object... args) {
        out.println("      " + String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(DemoRun.class).warn("closing {}: {}", c.getClass().getSimpleName(),
                    e.toString());
        }
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String fmt(Double value) {
        return value == null || value.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }
}
