package dev.vigil.simulator.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.simulator.SimulateCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import dev.vigil.schemas.csv.CsvTransaction;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int simulate(String... args) {
        CommandLine cli = new CommandLine(new SimulateCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void writesTheCsvAndReportsThroughputAndFraudPerScenario() throws Exception {
        Path file = dir.resolve("data/tx.csv");
        int code = simulate("--days", "7", "--cards", "300", "--merchants", "100", "--seed", "5",
                "--out", file.toString(), "--wave-start-day", "3", "--start", "2026-03-01");

        assertThat(code).isZero();
        assertThat(Files.size(file)).isPositive();
        long lines;
        try (var stream = Files.lines(file)) {
            lines = stream.count();
        }
        String report = out.toString();
        assertThat(report).contains("wrote " + String.format("%,d", lines - 1) + " transactions")
                .contains("2026-03-01 .. 2026-03-07").contains("tx/s").contains("MiB").contains("fraud:")
                .contains("wave from day 3 (2026-03-04)");
        for (Scenario s : Scenario.values()) {
            if (s.isFraud()) {
                assertThat(report).contains(s.tag());
            }
        }
    }

    @Test
    void withACardKeyEveryCardIdIsWrittenAsItsTokenAndTheRestIsTheSame() throws Exception {
        Path key = dir.resolve("card.key");
        dev.vigil.schemas.cards.CardTokens.generate(key, "k1");
        dev.vigil.schemas.cards.CardTokens tokens = dev.vigil.schemas.cards.CardTokens.load(key);
        Path clear = dir.resolve("clear.csv");
        Path tokenized = dir.resolve("tokens.csv");
        String[] common = {"--days", "2", "--cards", "100", "--merchants", "50", "--seed", "5", "--quiet"};
        assertThat(simulate(concat(common, "--out", clear.toString()))).isZero();
        assertThat(simulate(concat(common, "--out", tokenized.toString(), "--card-key", key.toString()))).isZero();
        List<CsvTransaction> before = read(clear);
        List<CsvTransaction> after = read(tokenized);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i)).isEqualTo(before.get(i).withCardId(tokens.token(before.get(i).cardId())));
        }
        assertThat(simulate(concat(common, "--out", dir.resolve("x.csv").toString(), "--card-key",
                dir.resolve("missing.key").toString()))).isEqualTo(2);
        assertThat(err.toString()).contains("--card-key");
    }

    private static List<CsvTransaction> read(Path file) throws Exception {
        List<CsvTransaction> rows = new java.util.ArrayList<>();
        try (dev.vigil.schemas.csv.TransactionCsv.Reader reader = dev.vigil.schemas.csv.TransactionCsv.open(file)) {
            for (CsvTransaction row; (row = reader.next(bad -> {
                throw new AssertionError("bad row " + bad);
            })) != null; ) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--days 0                    | days must be between",
        "--days many                 | --days",
        "--cards 3                   | cards must be at least",
        "--merchants 10              | merchants must be at least",
        "--days 7 --wave-start-day 7 | wave start day",
        "--currency XYZ              | unknown currency",
        "--start 2026-02-30          | --start",
        "--seed 1.5                  | --seed",
        "--colour blue               | Unknown option"})
    void refusesBadOptionsWithExitCode2(String options, String message) {
        List<String> args = new ArrayList<>(List.of("--out", dir.resolve("x.csv").toString()));
        args.addAll(List.of(options.trim().split(" +")));

        int code = simulate(args.toArray(String[]::new));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(message).contains("Usage:");
        assertThat(dir.resolve("x.csv")).doesNotExist();
    }

    @Test
    void requiresAnOutputFile() {
        assertThat(simulate("--days", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--out");
    }

    @Test
    void refusesADirectoryAsTheOutputFile() {
        assertThat(simulate("--days", "3", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is a directory");
    }
}
