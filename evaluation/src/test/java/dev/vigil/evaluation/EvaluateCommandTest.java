package dev.vigil.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {

    private static final double EXACT = 1e-15;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * FraudEvaluatorTest's hand-computed case as files, plus what a join must cope with: t8 in the window without a
     * score, t9 in the window without a label, an unreadable data row (line 12), a score for no transaction
     * ("ghost") and an unreadable score row (line 11).
     */
    private static final String DATA = """
            transaction_id,event_time,card_id,merchant_id,amount,currency,label
            h1,2026-01-01T10:00:00Z,X,m1,10.00,EUR,1
            t1,2026-01-09T08:00:00Z,X,m1,10.00,EUR,1
            t2,2026-01-09T09:00:00Z,Y,m1,25.00,EUR,1
            t3,2026-01-09T10:00:00Z,Z,m1,10.00,EUR,0
            t4,2026-01-09T11:00:00Z,Z,m1,10.00,EUR,0
            t5,2026-01-10T12:00:00Z,W,m2,12.34,EUR,1
            t6,2026-01-10T13:00:00Z,V,m2,10.00,EUR,0
            t7,2026-01-11T00:00:00Z,U,m2,10.00,EUR,0
            t8,2026-01-10T14:00:00Z,S,m2,10.00,EUR,0
            t9,2026-01-09T15:00:00Z,R,m2,10.00,EUR,
            bad,2026-01-09T16:00:00Z,R,m2,abc,EUR,0
            """;
    private static final String SCORES = """
            transaction_id,event_time,card_id,score,alerted,model_version,adapter_version
            t1,2026-01-09T08:00:00Z,X,0.95,true,base-1,a-3
            t2,2026-01-09T09:00:00Z,Y,0.90,true,base-1,a-3
            t3,2026-01-09T10:00:00Z,Z,0.80,true,base-1,a-3
            t4,2026-01-09T11:00:00Z,Z,0.35,false,base-1,a-3
            t5,2026-01-10T12:00:00Z,W,0.30,false,base-1,a-3
            t6,2026-01-10T13:00:00Z,V,0.30,false,base-1,a-3
            t7,2026-01-11T00:00:00Z,U,0.99,true,base-1,a-3
            t9,2026-01-09T15:00:00Z,R,0.50,false,base-1,a-3
            ghost,2026-01-09T15:00:00Z,Q,0.40,false,base-1,a-3
            t10,2026-01-09T15:00:00Z,Q,1.5,false,base-1,a-3
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void writesMetricsReportAndChartsWithTheHandComputedNumbers() throws IOException {
        Path data = write("transactions.csv", DATA);
        Path scores = write("scores.csv", SCORES);
        Path report = dir.resolve("report");

        int exit = run("--data", data.toString(), "--scores", scores.toString(), "--from", "2026-01-09",
                "--to", "2026-01-11", "--history-from", "2026-01-01T00:00:00Z", "--k", "1", "--out",
                report.toString());

        assertThat(exit).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.resolve("metrics.json").toFile());
        // The numbers of FraudEvaluatorTest.runsTheProtocolOnTheHandComputedCase: AUC 7/12, AP 0.7, CP@1 0.75.
        JsonNode metrics = json.get("metrics");
        assertThat(metrics.get("roc_auc").asDouble()).isCloseTo(7.0 / 12.0, within(EXACT));
        assertThat(metrics.get("average_precision").asDouble()).isCloseTo(0.7, within(EXACT));
        JsonNode cp = metrics.get("card_precision_at_k");
        assertThat(cp.get("k").asInt()).isEqualTo(1);
        assertThat(cp.get("mean").asDouble()).isEqualTo(0.75);
        assertThat(cp.get("days").get(0).get("day").asText()).isEqualTo("2026-01-09");
        assertThat(cp.get("days").get(0).get("card_precision").asDouble()).isEqualTo(1.0);
        assertThat(cp.get("days").get(0).get("known_compromised_cards_excluded").asInt()).isEqualTo(1);
        assertThat(cp.get("days").get(1).get("card_precision").asDouble()).isEqualTo(0.5);
        assertThat(cp.get("days").get(1).get("boundary_tie").get("tied_cards").asInt()).isEqualTo(2);
        JsonNode alerts = metrics.get("alerts");
        assertThat(alerts.get("precision").asDouble()).isEqualTo(0.5);
        assertThat(alerts.get("recall").asDouble()).isEqualTo(0.5);
        assertThat(alerts.get("fraud_amount").get(0).get("caught").asText()).isEqualTo("25.00");
        assertThat(alerts.get("fraud_amount").get(0).get("total").asText()).isEqualTo("37.34");
        assertThat(alerts.get("fraud_amount").get(0).get("total_minor_units").asLong()).isEqualTo(3734);

        // Join: 10 good data rows (h1, t1..t9) + 1 bad; in the window t1..t6, t8, t9 = 8, t8 unscored, t9 unlabeled;
        // 9 good score rows + 1 bad; t7's score is outside the window; ghost matches nothing; joined t1..t6 = 6.
        JsonNode join = json.get("join");
        assertThat(join.get("transactions_in_window").asLong()).isEqualTo(8);
        assertThat(join.get("transactions_without_score").asLong()).isEqualTo(1);
        assertThat(join.get("unlabeled_in_window").asLong()).isEqualTo(1);
        assertThat(join.get("scores_outside_window").asLong()).isEqualTo(1);
        assertThat(join.get("scores_without_transaction").asLong()).isEqualTo(1);
        assertThat(join.get("joined").asLong()).isEqualTo(6);
        assertThat(json.get("inputs").get("data").get("bad_rows").asLong()).isEqualTo(1);
        assertThat(json.get("inputs").get("scores").get("bad_rows").asLong()).isEqualTo(1);
        assertThat(json.get("inputs").get("data").get("sha256").asText()).hasSize(64);
        // Evaluated: the 6 joined minus t1 on the known-compromised card X.
        assertThat(json.get("counts").get("known_compromised_excluded").asLong()).isEqualTo(1);
        assertThat(json.get("counts").get("evaluated_transactions").asLong()).isEqualTo(5);
        assertThat(json.get("window").get("from").asText()).isEqualTo("2026-01-09T00:00:00Z");
        assertThat(json.get("window").get("to").asText()).isEqualTo("2026-01-11T00:00:00Z");
        assertThat(json.get("known_compromised").get("history_from").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(json.get("options").get("label_delay_days").asInt()).isEqualTo(7);
        // 1 of 8 unscored and 1 of 9 scores unmatched are far above the 1% default: said loudly.
        assertThat(json.get("warnings").toString()).contains("TOO MANY MISSING SCORES", "TOO MANY UNMATCHED SCORES",
                "no label");

        String md = Files.readString(report.resolve("report.md"));
        assertThat(md).contains("| AUC-ROC | 0.5833 |", "| Average precision | 0.7000 |",
                "| Card precision@1 (mean of 2 days) | 0.7500 |", "| 2026-01-09 | 1 | 0 | 2 | 1 | 1 | 1.0000 |",
                "TOO MANY MISSING SCORES", "25.00 of 37.34 (67.0%)", "![Precision-recall curve](pr_curve.png)");

        for (String chart : new String[] {"pr_curve.png", "roc_curve.png", "cp_at_k_daily.png"}) {
            assertIsAPicture(report.resolve(chart));
        }

        assertThat(out.toString()).contains("AUC-ROC 0.5833", "AP 0.7000", "CP@1 0.7500",
                "fraud caught EUR 25.00 of 37.34", "WARNING: TOO MANY MISSING SCORES");
        assertThat(err.toString()).contains("transactions.csv:12: skipped:", "scores.csv:11: skipped:");
    }

    @Test
    void defaultsTheWindowToTheDaysTheScoresCoverAndTheHistoryToTheFirstEvent() throws IOException {
        Path data = write("transactions.csv", DATA);
        Path scores = write("scores.csv", SCORES);
        Path report = dir.resolve("report");

        int exit = run("--data", data.toString(), "--scores", scores.toString(), "--out", report.toString());

        assertThat(exit).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.resolve("metrics.json").toFile());
        // Scores run from 01-09T08:00 to 01-11T00:00 -> whole UTC days [01-09, 01-12).
        assertThat(json.get("window").get("from").asText()).isEqualTo("2026-01-09T00:00:00Z");
        assertThat(json.get("window").get("to").asText()).isEqualTo("2026-01-12T00:00:00Z");
        assertThat(json.get("known_compromised").get("history_from").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(json.get("known_compromised").get("history_from_source").asText())
                .isEqualTo("first event time in the data");
        assertThat(json.get("options").get("k").asInt()).isEqualTo(100);
        assertThat(json.get("counts").get("test_days").asInt()).isEqualTo(3);
    }

    @Test
    void aCleanJoinHasNoWarnings() throws IOException {
        Path data = write("transactions.csv", """
                transaction_id,event_time,card_id,merchant_id,amount,label
                a,2026-03-01T10:00:00Z,c1,m,1.00,1
                b,2026-03-01T11:00:00Z,c2,m,2.00,0
                """);
        Path scores = write("scores.csv", """
                transaction_id,event_time,card_id,score,alerted,model_version,adapter_version
                a,2026-03-01T10:00:00Z,c1,0.9,true,,
                b,2026-03-01T11:00:00Z,c2,0.1,false,,
                """);
        int exit = run("--data", data.toString(), "--scores", scores.toString(), "--out", dir.resolve("r").toString());
        assertThat(exit).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(dir.resolve("r/metrics.json").toFile());
        assertThat(json.get("warnings")).isEmpty();
        assertThat(json.get("metrics").get("roc_auc").asDouble()).isEqualTo(1.0);
        assertThat(out.toString()).doesNotContain("WARNING");
    }

    @Test
    void undefinedMetricsAreNullInJsonAndExplained() throws IOException {
        Path data = write("transactions.csv", """
                transaction_id,event_time,card_id,merchant_id,amount,label
                a,2026-03-01T10:00:00Z,c1,m,1.00,0
                b,2026-03-01T11:00:00Z,c2,m,2.00,0
                """);
        Path scores = write("scores.csv", """
                transaction_id,event_time,card_id,score,alerted,model_version,adapter_version
                a,2026-03-01T10:00:00Z,c1,0.9,false,,
                b,2026-03-01T11:00:00Z,c2,0.1,false,,
                """);
        Path report = dir.resolve("r");
        int exit = run("--data", data.toString(), "--scores", scores.toString(), "--out", report.toString());
        assertThat(exit).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.resolve("metrics.json").toFile());
        assertThat(json.get("metrics").get("roc_auc").isNull()).isTrue();
        assertThat(json.get("metrics").get("average_precision").isNull()).isTrue();
        assertThat(json.get("notes").toString()).contains("AUC-ROC is undefined: no fraud");
        assertThat(out.toString()).contains("AUC-ROC n/a", "note: AUC-ROC is undefined");
        for (String chart : new String[] {"pr_curve.png", "roc_curve.png", "cp_at_k_daily.png"}) {
            assertIsAPicture(report.resolve(chart));
        }
    }

    @Test
    void nothingToEvaluateExitsWithOneAndSaysWhy() throws IOException {
        Path data = write("transactions.csv", DATA);
        Path scores = write("scores.csv", SCORES);
        int exit = run("--data", data.toString(), "--scores", scores.toString(), "--from", "2027-01-01",
                "--to", "2027-01-02", "--out", dir.resolve("r").toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("nothing to evaluate");
        assertThat(dir.resolve("r/metrics.json")).doesNotExist();
    }

    @Test
    void dataWithoutLabelsIsRefused() throws IOException {
        Path data = write("transactions.csv", """
                transaction_id,event_time,card_id,merchant_id,amount
                a,2026-03-01T10:00:00Z,c1,m,1.00
                """);
        Path scores = write("scores.csv", SCORES);
        int exit = run("--data", data.toString(), "--scores", scores.toString(), "--out", dir.resolve("r").toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("has no label column");
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        Path data = write("transactions.csv", DATA);
        Path scores = write("scores.csv", SCORES);
        assertThat(run("--data", data.toString(), "--scores", scores.toString(), "--out", "x", "--k", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--k must be at least 1");
        assertThat(run("--data", data.toString(), "--scores", scores.toString(), "--out", "x", "--from", "01/02/2026"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("not a date");
    }

    @Test
    void timeArgumentsAreDatesAtUtcMidnightOrInstants() {
        EvaluateCommand.TimeArgument time = new EvaluateCommand.TimeArgument();
        assertThat(time.convert("2026-02-01")).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(time.convert("2026-02-01T06:30:00Z")).isEqualTo(Instant.parse("2026-02-01T06:30:00Z"));
        assertThat(time.convert("2026-02-01T06:30:00+02:00")).isEqualTo(Instant.parse("2026-02-01T04:30:00Z"));
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new EvaluateCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static void assertIsAPicture(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as(png.toString()).isGreaterThan(5_000);
        assertThat(Arrays.copyOf(bytes, 8)).as(png.toString()).isEqualTo(PNG_SIGNATURE);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(650);
    }
}
