package dev.vigil.simulator;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.cli.ConnectionOptions;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.cards.CardTokens;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.replay.BadRowLog;
import dev.vigil.simulator.replay.BrokerCheck;
import dev.vigil.simulator.replay.EventOrderedCsv;
import dev.vigil.simulator.replay.KafkaReplaySink;
import dev.vigil.simulator.replay.ReplaySink;
import dev.vigil.simulator.replay.TokenizingSink;
import dev.vigil.simulator.replay.RecordTimestamps;
import dev.vigil.simulator.replay.CardholderReports;
import dev.vigil.simulator.replay.ReplayOptions;
import dev.vigil.simulator.replay.ReplayProgress;
import dev.vigil.simulator.replay.ReplayReport;
import dev.vigil.simulator.replay.ReplayTopics;
import dev.vigil.simulator.replay.ReplayWindow;
import dev.vigil.simulator.replay.TransactionReplayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil replay --data file.csv}: publishes a canonical transaction CSV onto {@code payments.transactions} in
 * event-time order, with the chargebacks of its fraud rows on {@code fraud.labels} at their labeled time. See
 * {@link TransactionReplayer} for the ordering and label timing, {@link RecordTimestamps} for the record timestamps.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, defaultValueProvider = ReplaySettings.class,
        resourceBundle = "dev.vigil.simulator.ReplaySettings",
        description = {
            "Publish a transaction CSV to payments.transactions in event-time order (Avro, keyed by card id),",
            "and each fraud row's chargeback to fraud.labels when it becomes known (event time + label delay)."
        })
public final class ReplayCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The canonical transaction CSV.")
    Path data;

    @Option(names = "--from", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Publish rows at or after this event time: a date (2026-02-01, midnight UTC) or an "
                    + "ISO-8601 time. Default: the start of the file.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Publish rows before this event time (exclusive): a date or an ISO-8601 time. "
                    + "Default: the end of the file.")
    Instant to;

    @Option(names = "--rate", paramLabel = "TPS",
            description = "Transactions per second of wall time. Default: as fast as possible.")
    double rate;

    @Option(names = "--label-delay", paramLabel = "DURATION",
            converter = DurationConverter.class)
    Duration labelDelay;

    @Option(names = "--cardholder-share", paramLabel = "SHARE")
    double cardholderShare;

    @Option(names = "--cardholder-delay", paramLabel = "DURATION", converter = DurationConverter.class)
    Duration cardholderDelay;

    @Option(names = "--cardholder-delay-sigma", paramLabel = "SIGMA")
    double cardholderDelaySigma;

    @Option(names = "--labels", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Publish chargebacks for the fraud rows of a labeled CSV (--no-labels: transactions only).")
    boolean labels;

    @Option(names = "--trailing-labels", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Publish at the end the chargebacks whose time falls after the last replayed transaction "
                    + "(--no-trailing-labels drops them). Counted apart either way.")
    boolean trailingLabels;

    @Option(names = "--record-timestamps", paramLabel = "wall-clock|event-time", defaultValue = "wall-clock",
            converter = TimestampsConverter.class,
            description = "Kafka record timestamps: the send time (default; end-to-end latency is measured from it "
                    + "and retention stays safe) or the event time (needs retention covering the replayed period).")
    RecordTimestamps recordTimestamps;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--transactions-topic", paramLabel = "TOPIC", defaultValue = Topics.TRANSACTIONS, hidden = true,
            description = "Topic for the transactions (tests, side-by-side environments). Default: ${DEFAULT-VALUE}.")
    String transactionsTopic;

    @Option(names = "--labels-topic", paramLabel = "TOPIC", defaultValue = Topics.LABELS, hidden = true,
            description = "Topic for the chargebacks. Default: ${DEFAULT-VALUE}.")
    String labelsTopic;

    @Option(names = "--bad-rows-listed", paramLabel = "N", defaultValue = "20",
            description = "Bad rows listed with their line number (all are counted). Default: ${DEFAULT-VALUE}.")
    int badRowsListed;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Run the whole scoring pipeline on an embedded local stack (scorer with this model, its "
                    + "context following the scores and the chargeback labels) and write every transaction's score "
                    + "to --scores-out.")
    Path model;

    @Option(names = "--scores-out", paramLabel = "FILE",
            description = "With --model: the scores CSV for ./vigil evaluate. Default: scores.csv.")
    Path scoresOut;

    @Option(names = "--card-key", paramLabel = "FILE",
            description = "Publish every card id as its token (HMAC-SHA-256 with this key file's first key, the "
                    + "scorer's --card-key): transactions, their keys and the chargebacks. Default: clear card ids.")
    Path cardKey;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
            description = "With --model: give up when no score arrives for this long. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    private final ScoringPipeline pipeline;

    /** Publishes only (no --model). */
    public ReplayCommand() {
        this(null);
    }

    /** Publishes, and with {@code --model} runs {@code pipeline} and collects its scores. */
    public ReplayCommand(ScoringPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(data) || !Files.isReadable(data)) {
            err.println("replay: --data " + data + " is not a readable file");
            return 2;
        }
        ReplayWindow window;
        ReplayOptions options;
        try {
            if (rate < 0) {
                throw new IllegalArgumentException("--rate must not be negative: " + rate);
            }
            window = new ReplayWindow(from, to);
            options = ReplayOptions.defaults()
                    .withWindow(window)
                    .withRate(rate)
                    .withChargebacks(labels)
                    .withLabelDelay(labelDelay)
                    .withCardholderReports(new CardholderReports(cardholderShare, cardholderDelay,
                            cardholderDelaySigma))
                    .withTrailingLabels(trailingLabels);
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            return 2;
        }
        ReplayTopics topics = new ReplayTopics(transactionsTopic, labelsTopic);
        if (model != null) {
            if (pipeline == null) {
                err.println("replay: --model needs the scoring modules; run it through ./vigil");
                return 2;
            }
            Path out2 = scoresOut != null ? scoresOut : Path.of("scores.csv");
            try (ScoringPipeline.Running running = pipeline.start(model, out)) {
                int code = publish(out, err, window, options, topics, running.bootstrapServers(),
                        running.schemaRegistryUrl());
                if (code != 0) {
                    return code;
                }
                long written = running.collectScores(lastReport.transactions(), out2, idleTimeout, out);
                out.printf(Locale.ROOT, "scores:         %,d written to %s (grade them: ./vigil evaluate --data %s "
                        + "--scores %s)%n", written, out2, data, out2);
                out.flush();
                return written == lastReport.transactions() ? 0 : 1;
            } catch (IllegalArgumentException e) {
                err.println("replay: " + e.getMessage());
                return 2;
            }
        }
        return publish(out, err, window, options, topics, connection.bootstrapServers(), connection.schemaRegistry());
    }

    private ReplayReport lastReport;

    private int publish(PrintWriter out, PrintWriter err, ReplayWindow window, ReplayOptions options,
                        ReplayTopics topics, String bootstrapServers, String schemaRegistry) throws IOException {
        SchemaRegistryClient registry;
        try {
            registry = new SchemaRegistryClient(schemaRegistry);
            registry.checkReachable();
            BrokerCheck.requireTopics(bootstrapServers, Duration.ofSeconds(10),
                    List.of(topics.transactions(), topics.labels()));
        } catch (RuntimeException e) {
            err.println("replay: " + e.getMessage());
            return 1;
        }

        out.printf("replay: %s, window %s, %s, chargebacks %s%n", data, window,
                rate > 0 ? String.format(Locale.ROOT, "%.0f transactions/s", rate) : "as fast as possible",
                !labels ? "off" : "after " + formatDuration(labelDelay) + (options.cardholder().enabled()
                        ? String.format(Locale.ROOT, ", cardholder reports for %.0f%% of the frauds (median %s)",
                        100 * options.cardholder().share(), formatDuration(options.cardholder().median()))
                        : ", no cardholder reports"));
        out.flush();
        BadRowLog badRows = new BadRowLog(badRowsListed);
        ReplayReport report;
        // paced like live payments: a short producer linger, so that a record's timestamp is when it reached Kafka
        CardTokens tokens;
        try {
            tokens = cardKey == null ? null : CardTokens.load(cardKey);
        } catch (IllegalArgumentException | IOException e) {
            err.println("replay: --card-key " + cardKey + ": " + e.getMessage());
            return 2;
        }
        try (KafkaReplaySink sink = rate > 0
                ? KafkaReplaySink.createLive(bootstrapServers, new AvroSerde<>(Transaction.class, registry),
                        new AvroSerde<>(FraudLabel.class, registry), topics, recordTimestamps)
                : KafkaReplaySink.create(bootstrapServers, new AvroSerde<>(Transaction.class, registry),
                        new AvroSerde<>(FraudLabel.class, registry), topics, recordTimestamps)) {
            ReplaySink to = tokens == null ? sink : new TokenizingSink(sink, tokens);
            report = new TransactionReplayer(to, options, new ConsoleProgress(out)).replay(data, badRows);
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("replay: failed: " + e.getMessage());
            return 1;
        }
        printReport(out, report, badRows, labels);
        lastReport = report;
        return 0;
    }

    private static void printReport(PrintWriter out, ReplayReport r, BadRowLog badRows, boolean labels) {
        out.printf(Locale.ROOT, "rows read:      %,d good, %s%n", r.goodRows(), badRows.summary());
        out.printf(Locale.ROOT, "in window:      %,d rows (%s on disk)%n", r.rowsInWindow(),
                r.sortedOnDisk() ? "already in event-time order" : "sorted; not in event-time order");
        out.printf(Locale.ROOT, "published:      %,d transactions%s%n", r.transactions(),
                r.firstEventTime() == null ? "" : ", event time " + r.firstEventTime() + " .. " + r.lastEventTime());
        if (labels) {
            out.printf(Locale.ROOT, "fraud labels:   %,d published (chargebacks and cardholder reports; %,d interleaved, %,d "
                            + "after the last transaction)%s%n",
                    r.labelsPublished(), r.interleavedLabels(), r.trailingLabels(),
                    r.droppedTrailingLabels() > 0 ? String.format(Locale.ROOT,
                            ", %,d due after the last transaction dropped", r.droppedTrailingLabels()) : "");
        }
        out.printf(Locale.ROOT, "throughput:     %,.0f transactions/s (publish %.1f s, scan %.1f s)%n",
                r.transactionsPerSecond(), r.publishTime().toMillis() / 1e3, r.scanTime().toMillis() / 1e3);
        out.flush();
    }

    /** Prints the scan result and a progress line every few seconds. */
    private static final class ConsoleProgress implements ReplayProgress {
        private final PrintWriter out;

        ConsoleProgress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void scanned(EventOrderedCsv csv) {
            out.printf(Locale.ROOT, "scanned:        %,d good rows, %,d bad, %,d in window (%,d fraud), %s%n",
                    csv.goodRows(), csv.badRows(), csv.rowsInWindow(), csv.fraudRowsInWindow(),
                    csv.sortedOnDisk() ? "in event-time order" : "not in order: sorted by event time");
            if (!csv.hasLabels()) {
                out.println("                no label column: no chargebacks");
            }
            out.flush();
        }

        @Override
        public void publishing(long transactions, long labels, Instant eventTime, double ratePerSecond) {
            out.printf(Locale.ROOT, "  %,12d transactions, %,9d labels, event time %s, %,.0f/s%n",
                    transactions, labels, eventTime, ratePerSecond);
            out.flush();
        }
    }

    /** A date (midnight UTC) or an ISO-8601 time. */
    public static final class TimeConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return ReplayWindow.parseBound(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 7d}, {@code 36h}, {@code 30m}, {@code 45s}, {@code 500ms}, or ISO-8601 ({@code PT1H}, {@code P7D}). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    public static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (s.equals("0")) {
                return Duration.ZERO;
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long amount = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 'd' -> Duration.ofDays(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 's' -> Duration.ofSeconds(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            if (e instanceof DateTimeParseException || e instanceof IllegalArgumentException
                    || e instanceof StringIndexOutOfBoundsException) {
                throw new IllegalArgumentException("not a duration (7d, 36h, 30m, 45s, 500ms or ISO-8601 PT1H): '"
                        + text + "'");
            }
            throw e;
        }
    }

    /** The short form {@link #parseDuration} reads: "7d", "36h", "90m", "45s", "500ms". */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** {@code wall-clock} or {@code event-time}. */
    public static final class TimestampsConverter implements CommandLine.ITypeConverter<RecordTimestamps> {
        @Override
        public RecordTimestamps convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "wall-clock", "wall" -> RecordTimestamps.WALL_CLOCK;
                case "event-time", "event" -> RecordTimestamps.EVENT_TIME;
                default -> throw new CommandLine.TypeConversionException(
                        "expected wall-clock or event-time: '" + value + "'");
            };
        }
    }
}
