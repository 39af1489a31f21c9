package dev.vigil.simulator;

import dev.vigil.schemas.cards.CardTokens;
import dev.vigil.simulator.generate.PaymentSimulator;
import dev.vigil.simulator.generate.Scenario;
import dev.vigil.simulator.generate.SimulatedDay;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.simulator.generate.SimulationSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes a seeded synthetic payment history with labeled fraud scenarios as a canonical transaction CSV: the data
 * every model and every number of the project is measured on. See simulator/README.md, "Payment simulator".
 * <p>
 * {@code ./vigil simulate --days 60 --cards 5000 --merchants 1000 --seed 42 --out data/transactions.csv}
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate synthetic card payments with labeled fraud scenarios as a transaction CSV. "
                + "Same options and seed, same file, byte for byte.")
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--days", defaultValue = "60", paramLabel = "D",
            description = "Days to simulate (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--cards", defaultValue = "5000", paramLabel = "N",
            description = "Number of cards (default: ${DEFAULT-VALUE}); about 2.2 payments per card per day.")
    int cards;

    @Option(names = "--merchants", defaultValue = "1000", paramLabel = "M",
            description = "Number of merchants/terminals (default: ${DEFAULT-VALUE}).")
    int merchants;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV file to write.")
    Path out;

    @Option(names = "--start", defaultValue = "2026-01-01", paramLabel = "YYYY-MM-DD",
            description = "First simulated day, UTC (default: ${DEFAULT-VALUE}).")
    LocalDate start;

    @Option(names = "--wave-start-day", paramLabel = "D",
            description = "Start the fuel-station fraud wave (scenario merchant_wave) on day D, 0 being --start. "
                    + "Off by default.")
    Integer waveStartDay;

    @Option(names = "--currency", defaultValue = "EUR", paramLabel = "CODE",
            description = "ISO 4217 currency of the amounts (default: ${DEFAULT-VALUE}); amounts keep a euro scale.")
    String currency;

    @Option(names = "--card-key", paramLabel = "FILE",
            description = "Write every card id as its token (HMAC-SHA-256 with this key file's first key, the "
                    + "scorer's --card-key; ./vigil cards keygen). Default: the simulator's own card ids.")
    Path cardKey;

    @Option(names = "--quiet", description = "No progress lines, only the summary.")
    boolean quiet;

    /** For {@code java -cp ... dev.vigil.simulator.SimulateCommand}; {@code ./vigil simulate} is the usual way. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulateCommand()).execute(args));
    }

    @Override
    public Integer call() {
        SimulationConfig config = config();
        if (Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " is a directory; give a file name");
        }
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "simulating %d days from %s: %,d cards, %,d merchants, seed %d, %s%s -> %s%n",
                config.days(), config.start(), config.cards(), config.merchants(), config.seed(), config.currency(),
                config.waveStartDay().isPresent() ? ", wave from day " + config.waveStartDay().getAsInt() + " ("
                        + config.start().plusDays(config.waveStartDay().getAsInt()) + ")" : "",
                out);
        console.flush();

        CardTokens tokens;
        try {
            tokens = cardKey == null ? null : CardTokens.load(cardKey);
        } catch (IllegalArgumentException | IOException e) {
            spec.commandLine().getErr().println("simulate: --card-key " + cardKey + ": " + e.getMessage());
            return 2;
        }
        long started = System.nanoTime();
        Progress progress = new Progress(console, started, config.days());
        PaymentSimulator simulator = new PaymentSimulator(config);
        SimulationSummary summary;
        try {
            summary = simulator.writeCsv(out, quiet ? day -> { } : progress::after,
                    tokens == null ? java.util.function.UnaryOperator.identity() : tokens::token);
        } catch (IOException e) {
            spec.commandLine().getErr().println("simulate: cannot write " + out + ": " + e);
            return 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long bytes = out.toFile().length();
        report(console, summary, seconds, bytes);
        return 0;
    }

    private SimulationConfig config() {
        try {
            return new SimulationConfig(start, days, cards, merchants, seed, currency.trim().toUpperCase(Locale.ROOT),
                    waveStartDay == null ? OptionalInt.empty() : OptionalInt.of(waveStartDay));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid options: " + e.getMessage());
        }
    }

    private void report(PrintWriter console, SimulationSummary summary, double seconds, long bytes) {
        console.printf(Locale.ROOT, "wrote %,d transactions (%s .. %s) to %s: %.1f MiB in %.1f s, %,.0f tx/s%n",
                summary.transactions(), summary.config().start(), summary.config().end(), out,
                bytes / (1024.0 * 1024.0), seconds, summary.transactions() / Math.max(seconds, 1e-9));
        console.printf(Locale.ROOT, "fraud: %,d rows, %.3f%% of all%n", summary.frauds(), 100 * summary.fraudRate());
        console.printf(Locale.ROOT, "  %-22s %12s %9s %10s%n", "scenario", "rows", "% of all", "incidents");
        for (Scenario s : Scenario.values()) {
            if (!s.isFraud() || (s == Scenario.MERCHANT_WAVE && summary.config().waveStartDay().isEmpty())) {
                continue;
            }
            console.printf(Locale.ROOT, "  %-22s %,12d %8.3f%% %,10d%n", s.tag(), summary.rows(s),
                    100 * summary.share(s), summary.incidents().getOrDefault(s, 0L));
        }
        console.flush();
    }

    /** A progress line about every two seconds, and at the last day. */
    private static final class Progress {
        private final PrintWriter console;
        private final long started;
        private final int days;
        private long rows;
        private long frauds;
        private long lastPrint;

        Progress(PrintWriter console, long started, int days) {
            this.console = console;
            this.started = started;
            this.days = days;
            this.lastPrint = started;
        }

        void after(SimulatedDay day) {
            rows += day.size();
            frauds += day.frauds();
            long now = System.nanoTime();
            if (now - lastPrint >= 2_000_000_000L || day.index() == days - 1) {
                double seconds = (now - started) / 1e9;
                console.printf(Locale.ROOT, "  day %d/%d %s: %,d transactions, %.2f%% fraud, %,.0f tx/s%n",
                        day.index() + 1, days, day.date(), rows, 100.0 * frauds / Math.max(rows, 1),
                        rows / Math.max(seconds, 1e-9));
                console.flush();
                lastPrint = now;
            }
        }
    }
}
