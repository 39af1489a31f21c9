package dev.vigil.simulator;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.cli.ConnectionOptions;
import dev.vigil.schemas.cli.GracefulStop;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.analysts.AnalystSimulator;
import dev.vigil.simulator.analysts.FraudTruth;
import dev.vigil.simulator.analysts.ReviewClock;
import dev.vigil.simulator.analysts.ReviewDesk;
import dev.vigil.simulator.analysts.ReviewPolicy;
import dev.vigil.simulator.replay.BadRowLog;
import dev.vigil.simulator.replay.BrokerCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil analysts --data file.csv}: the fraud analysts. Reads {@code fraud.alerts}, reviews at most k cards a
 * day in score order and publishes their true labels (from the labeled CSV) on {@code fraud.labels}. Runs until
 * Ctrl-C (or, with {@code --exit-when-idle}, until the alerts stop); restart-safe. The policy: {@link ReviewDesk};
 * the Kafka side and restarts: {@link AnalystSimulator}.
 */
@Command(name = "analysts", mixinStandardHelpOptions = true, defaultValueProvider = AnalystsSettings.class,
        resourceBundle = "dev.vigil.simulator.AnalystsSettings",
        description = {
            "Simulate the fraud analysts: review at most k alerted cards per event-time day, highest score first,",
            "and publish the true labels of their alerted transactions to fraud.labels (source ANALYST)."
        })
public final class AnalystsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "The labeled transaction CSV the truth comes from.")
    Path data;

    @Option(names = "--k", paramLabel = "CARDS")
    int cardsPerDay;

    @Option(names = "--review-delay", paramLabel = "DURATION",
            converter = ReplayCommand.DurationConverter.class)
    Duration reviewDelay;

    @Option(names = "--review-clock", paramLabel = "day-close|alert-time",
            converter = ClockConverter.class)
    ReviewClock reviewClock;

    @Option(names = "--grace", paramLabel = "DURATION",
            converter = ReplayCommand.DurationConverter.class)
    Duration grace;

    @Option(names = "--analysts", paramLabel = "N")
    int analysts;

    @Option(names = "--idle-close", paramLabel = "DURATION", defaultValue = "60s",
            converter = ReplayCommand.DurationConverter.class,
            description = "Close every open day after this much wall time without an alert (ends the last day of a "
                    + "replay); 0 never. Default: ${DEFAULT-VALUE}.")
    Duration idleClose;

    @Option(names = "--exit-when-idle",
            description = "Exit once the alerts have stopped for --idle-close and every day is closed and published.")
    boolean exitWhenIdle;

    @Option(names = "--group-id", paramLabel = "ID", defaultValue = "vigil-analysts",
            description = "Consumer group (and transactional id suffix); one running instance per group. "
                    + "Default: ${DEFAULT-VALUE}.")
    String groupId;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--alerts-topic", paramLabel = "TOPIC", defaultValue = Topics.ALERTS, hidden = true,
            description = "Topic the alerts come from (tests, side-by-side environments). Default: ${DEFAULT-VALUE}.")
    String alertsTopic;

    @Option(names = "--labels-topic", paramLabel = "TOPIC", defaultValue = Topics.LABELS, hidden = true,
            description = "Topic for the labels. Default: ${DEFAULT-VALUE}.")
    String labelsTopic;

    public AnalystsCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(data) || !Files.isReadable(data)) {
            err.println("analysts: --data " + data + " is not a readable file");
            return 2;
        }
        ReviewPolicy policy;
        AnalystSimulator.Settings settings;
        try {
            policy = new ReviewPolicy(cardsPerDay, reviewDelay, grace, reviewClock, analysts);
            settings = new AnalystSimulator.Settings(connection.bootstrapServers(), groupId, alertsTopic, labelsTopic,
                    idleClose, exitWhenIdle, Duration.ofMillis(500), Duration.ofSeconds(60));
        } catch (IllegalArgumentException e) {
            err.println("analysts: " + e.getMessage());
            return 2;
        }
        SchemaRegistryClient registry;
        try {
            registry = new SchemaRegistryClient(connection.schemaRegistry());
            registry.checkReachable();
            BrokerCheck.requireTopics(connection.bootstrapServers(), Duration.ofSeconds(10), List.of(alertsTopic, labelsTopic));
        } catch (RuntimeException e) {
            err.println("analysts: " + e.getMessage());
            return 1;
        }
        BadRowLog badRows = new BadRowLog();
        FraudTruth truth;
        try {
            truth = FraudTruth.load(data, badRows);
        } catch (IllegalArgumentException e) {
            err.println("analysts: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "analysts: truth from %s: %,d rows, %,d fraud, %s%n", data, truth.rows(),
                truth.fraudCount(), badRows.summary());
        out.printf(Locale.ROOT, "analysts: %d cards/day, labels %s after the %s, grace %s, %d analysts, group %s%n",
                cardsPerDay, ReplayCommand.formatDuration(reviewDelay),
                reviewClock == ReviewClock.DAY_CLOSE ? "day's close" : "alert", ReplayCommand.formatDuration(grace),
                analysts, groupId);
        out.flush();

        AnalystSimulator simulator;
        try {
            simulator = new AnalystSimulator(settings, policy, truth,
                    new AvroSerde<>(FraudAlert.class, registry), new AvroSerde<>(FraudLabel.class, registry),
                    line -> {
                        out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
                        out.flush();
                    });
        } catch (RuntimeException e) {
            err.println("analysts: " + e.getMessage());
            return 1;
        }
        GracefulStop stop = GracefulStop.install("analysts-shutdown", simulator::stop, Duration.ofSeconds(15));
        try {
            simulator.run();
        } catch (RuntimeException e) {
            err.println("analysts: failed: " + e.getMessage());
            return 1;
        } finally {
            stop.close();
        }
        ReviewDesk desk = simulator.desk();
        out.printf(Locale.ROOT, "analysts: %,d alerts read (%,d unreadable, %,d duplicate), %,d labels published "
                        + "(%,d fraud), %,d alerts over budget, %d days closed%n",
                desk.alertsOffered(), simulator.badAlerts(), desk.duplicates(), simulator.labelsPublished(),
                simulator.fraudLabeled(), desk.neverReviewed(), desk.closedDays());
        out.flush();
        return 0;
    }

    /** {@code day-close} or {@code alert-time}. */
    public static final class ClockConverter implements CommandLine.ITypeConverter<ReviewClock> {
        @Override
        public ReviewClock convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "day-close" -> ReviewClock.DAY_CLOSE;
                case "alert-time", "alert" -> ReviewClock.ALERT_TIME;
                default -> throw new CommandLine.TypeConversionException(
                        "expected day-close or alert-time: '" + value + "'");
            };
        }
    }
}
