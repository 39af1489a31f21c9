package dev.vigil.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 2, 12);

    @TempDir
    Path dir;

    @Test
    void writesTheMarkdownAndThreeChartsThatDecodeAtTheChartSize() throws IOException {
        Path markdown = ReportWriter.write(dir.resolve("nested/report"), sampleReport());

        assertThat(markdown).isEqualTo(dir.resolve("nested/report").resolve(ReportWriter.MARKDOWN)).isRegularFile();
        for (String chart : List.of(ReportWriter.CARD_PRECISION_CHART, ReportWriter.LATENCY_CHART,
                ReportWriter.THROUGHPUT_CHART)) {
            BufferedImage image = ImageIO.read(dir.resolve("nested/report").resolve(chart).toFile());
            assertThat(image).as(chart).isNotNull();
            assertThat(image.getWidth()).as(chart).isEqualTo(ChartCanvas.WIDTH);
            assertThat(image.getHeight()).as(chart).isEqualTo(ChartCanvas.HEIGHT);
        }
    }

    @Test
    void theSameReportGivesByteIdenticalFiles() throws IOException {
        ReportWriter.write(dir.resolve("a"), sampleReport());
        ReportWriter.write(dir.resolve("b"), sampleReport());

        for (String file : List.of(ReportWriter.MARKDOWN, ReportWriter.CARD_PRECISION_CHART,
                ReportWriter.LATENCY_CHART, ReportWriter.THROUGHPUT_CHART)) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(file)));
        }
    }

    @Test
    void theMarkdownHasTheRunTheSummaryOneRowPerDayTheChartsAndTheNotes() throws IOException {
        String md = Files.readString(ReportWriter.write(dir, sampleReport()));

        assertThat(md).startsWith("# Vigil demo\n")
                .contains("| machine | 2 cores, Linux |")
                .contains("| command | `./vigil demo --days 4` |")
                .contains("| wall time | 2 min 05 s |")
                // before the wave: days 1-2; during: days 3-4
                .contains("| | before the wave (2 days) | during the wave (2 days) |")
                .contains("| CP@100, feedback loop | 0.150 | 0.300 |")
                .contains("| CP@100, frozen adapter | 0.100 | 0.200 |")
                .contains("| AP, feedback loop | 0.550 | 0.700 |")
                .contains("| AP, frozen adapter | 0.500 | 0.600 |")
                .contains("| ms | 3.0 | 100 | 100 | 100 |")
                .contains("| 1,500 tx/s | 2,000 tx/s | 4,600 | 20 | 40 | 60 | 3 |")
                .contains("| 2026-02-12 | off | 1,000 | 5 | 10 | 15 | 0.100 | 0.100 | 0.500 | 0.500 | 1 |")
                .contains("| 2026-02-15 | on | 1,300 | 5 | 10 | 15 | 0.350 | 0.200 | 0.750 | 0.600 | 3 | 4 | 3 | 0 | 95 of "
                        + "100 |")
                // the wave's frauds each arm alerted, and the analysts' least-used day of budget
                .contains("| wave frauds alerted, feedback loop | 0 of 0 | 5 of 8 |")
                .contains("| wave frauds alerted, frozen adapter | 0 of 0 | 0 of 8 |")
                .contains("| review budget used, least day | 95% (95 of 100 cards) | 95% (95 of 100 cards) |")
                .contains("](cp-at-k.png)", "](latency.png)", "](throughput.png)")
                .contains("## Notes\n\n- latency: arrival to score written\n");
    }

    @Test
    void notAvailableValuesReadNaAndAreLeftOutOfTheMeans() throws IOException {
        List<RunReport.Day> days = List.of(
                day(0, false, 0.2, Double.NaN, 0.5, 0.5),
                day(1, false, Double.NaN, Double.NaN, 0.7, 0.5));
        RunReport report = new RunReport("With gaps", "m", "c", Duration.ofSeconds(3), 100, days,
                new double[] {Double.NaN, 4, Double.POSITIVE_INFINITY}, List.of(), List.of());

        String md = Files.readString(ReportWriter.write(dir, report));

        assertThat(md).contains("| CP@100, feedback loop | 0.200 | n/a |")
                .contains("| CP@100, frozen adapter | n/a | n/a |")
                .contains("| AP, feedback loop | 0.600 | n/a |")
                .contains("| 2026-02-13 | off | 1,100 | 5 | 10 | 15 | n/a | n/a | 0.700 | 0.500 | 2 |")
                .contains("| end-to-end latency (1 payment) |")
                .contains("| n/a tx/s | n/a tx/s |")
                .doesNotContain("NaN");
        assertThat(ImageIO.read(dir.resolve(ReportWriter.CARD_PRECISION_CHART).toFile())).isNotNull();
    }

    @Test
    void aRunWithNoDayNoLatencyAndNoThroughputStillGivesACompleteReport() throws IOException {
        RunReport empty = new RunReport("Nothing yet", null, null, null, 100, List.of(), new double[0], List.of(),
                List.of());

        String md = Files.readString(ReportWriter.write(dir, empty));

        assertThat(md).contains("| wall time | n/a |")
                .contains("| | before the wave (0 days) | during the wave (0 days) |")
                .contains("| ms | n/a | n/a | n/a | n/a |")
                .contains("No simulated day completed.")
                .doesNotContain("## Notes");
        for (String chart : List.of(ReportWriter.CARD_PRECISION_CHART, ReportWriter.LATENCY_CHART,
                ReportWriter.THROUGHPUT_CHART)) {
            assertThat(ImageIO.read(dir.resolve(chart).toFile()).getWidth()).isEqualTo(ChartCanvas.WIDTH);
        }
    }

    @Test
    void oneDayOneLatencyAndOneThroughputPointAreEnough() throws IOException {
        RunReport one = new RunReport("One day", "m", "c", Duration.ofMillis(1500), 50,
                List.of(day(0, true, 0.3, 0.2, 0.7, 0.6)), new double[] {0.0},
                List.of(new RunReport.ThroughputPoint(5, 900)), List.of("one note"));

        String md = Files.readString(ReportWriter.write(dir, one));

        assertThat(md).contains("| wall time | 1.5 s |")
                .contains("| | before the wave (0 days) | during the wave (1 day) |")
                .contains("| CP@50, feedback loop | n/a | 0.300 |")
                .contains("| ms | 0.0 | 0.0 | 0.0 | 0.0 |")
                .contains("| 900 tx/s | 900 tx/s |");
        assertThat(ImageIO.read(dir.resolve(ReportWriter.LATENCY_CHART).toFile())).isNotNull();
    }

    @Test
    void pipesAndLineBreaksInCellsDoNotBreakTheTables() throws IOException {
        RunReport report = new RunReport("T", "a | b\nc", "./vigil demo", Duration.ZERO, 100,
                List.of(new RunReport.Day(FIRST_DAY, false, 1, 0, 0, 0, 0, 0, 0, 0, "v|2", 0, 0, 0, -1)), new double[0],
                List.of(), List.of());

        String md = Files.readString(ReportWriter.write(dir, report));

        assertThat(md).contains("| machine | a \\| b c |").contains("| v\\|2 |");
    }

    /** Four days, the wave on from the third; latency 1..100 ms; throughput 1,000 then 2,000 tx/s. */
    static RunReport sampleReport() {
        List<RunReport.Day> days = List.of(
                day(0, false, 0.1, 0.1, 0.5, 0.5),
                day(1, false, 0.2, 0.1, 0.6, 0.5),
                day(2, true, 0.25, 0.2, 0.65, 0.6),
                day(3, true, 0.35, 0.2, 0.75, 0.6));
        double[] latency = new double[100];
        for (int i = 0; i < latency.length; i++) {
            latency[i] = i < 50 ? 3 : 100;
        }
        List<RunReport.ThroughputPoint> throughput = new ArrayList<>();
        throughput.add(new RunReport.ThroughputPoint(5, 1000));
        throughput.add(new RunReport.ThroughputPoint(10, 2000));
        return new RunReport("Vigil demo", "2 cores, Linux", "./vigil demo --days 4", Duration.ofSeconds(125), 100,
                days, latency, throughput, List.of("latency: arrival to score written"));
    }

    private static RunReport.Day day(int index, boolean waveOn, double loopCp, double frozenCp, double loopAp,
                                     double frozenAp) {
        return new RunReport.Day(FIRST_DAY.plusDays(index), waveOn, 1000 + 100L * index, 5, 10, 15, loopCp, frozenCp,
                loopAp, frozenAp, String.valueOf(Math.min(3, index + 1)), waveOn ? 4 : 0, waveOn ? index : 0, 0, 95);
    }
}
