package dev.vigil.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.bench.pipeline.PipelineBenchCommand;
import dev.vigil.bench.model.ModelBenchCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of {@code ./vigil bench} from canned outputs; the summary lines come from the benches' own formats. */
class BenchReportTest {

    static final String MODEL_LINE = ModelBenchCommand.lastLine(40.0, 100.0, 1_250_000, 4_500_000);
    static final String PIPELINE_LINE = PipelineBenchCommand.lastLine(1200, 4000, 18, 45, 2000, 9600);
    static final String NO_CONTEXT_LINE = PipelineBenchCommand.lastLine(1600, 4000, 12, 30, 2000, 9600);
    static final String FEEDBACK_LINE =
            "feedback: loop CP@100 0.174 AP 0.635 | frozen CP@100 0.191 AP 0.660 | label-to-live 0.6 s";

    @TempDir
    Path dir;

    @Test
    void readsTheModelBenchLine() {
        ModelBenchResult model = ModelBenchResult.parse("bench model: ...\n  int8 ...\n" + MODEL_LINE + "\n")
                .orElseThrow();

        assertThat(model.int8MicrosPerTransaction()).isEqualTo(40.0);
        assertThat(model.fp32MicrosPerTransaction()).isEqualTo(100.0);
        assertThat(model.speedUp()).isEqualTo(2.5);
        assertThat(model.int8Megabytes()).isEqualTo(1.25);
        assertThat(model.fp32Megabytes()).isEqualTo(4.5);
        assertThat(model.sizeRatio()).isEqualTo(3.6, within(1e-9));
        assertThat(model.line()).isEqualTo(MODEL_LINE);
    }

    @Test
    void readsThePipelineLineEvenWhenTheBenchPrintsAfterIt() {
        PipelineBenchResult pipeline = PipelineBenchResult.parse("[5/5] latency ...\n" + PIPELINE_LINE
                + "\nstopping the local stack ...\n").orElseThrow();

        assertThat(pipeline.transactionsPerSecond()).isEqualTo(1200);
        assertThat(pipeline.passthroughTransactionsPerSecond()).isEqualTo(4000);
        assertThat(pipeline.ratio()).isEqualTo(0.30);
        assertThat(pipeline.p50Millis()).isEqualTo(18);
        assertThat(pipeline.p99Millis()).isEqualTo(45);
        assertThat(pipeline.offeredPerSecond()).isEqualTo(2000);
        assertThat(pipeline.modelOnlyTransactionsPerSecond()).isEqualTo(9600);
        assertThat(pipeline.modelOnlyRatio()).isEqualTo(0.13);
    }

    @Test
    void readsAPipelineLineOfAnEarlierRunWithoutTheModelOnlyPart() {
        PipelineBenchResult old = PipelineBenchResult.parse("pipeline: 3646 tx/s vs passthrough 61023 tx/s (ratio 0.06); "
                + "p50 15 ms p99 47 ms at 2000 tx/s offered").orElseThrow();

        assertThat(old.transactionsPerSecond()).isEqualTo(3646);
        assertThat(old.p99Millis()).isEqualTo(47);
        assertThat(old.modelOnlyTransactionsPerSecond()).isNaN();
    }

    @Test
    void readsTheFeedbackLineWithAnAdapterThatWentLiveOrNot() {
        FeedbackBenchResult live = FeedbackBenchResult.parse(FEEDBACK_LINE).orElseThrow();
        FeedbackBenchResult refused = FeedbackBenchResult.parse("feedback: loop CP@50 0.200 AP NaN | frozen CP@50 "
                + "0.190 AP 0.500 | label-to-live 3.2 (refused, not live) s").orElseThrow();
        FeedbackBenchResult skipped = FeedbackBenchResult.parse("feedback: loop CP@100 0.2 AP 0.6 | frozen CP@100 "
                + "0.2 AP 0.6 | label-to-live n/a s").orElseThrow();

        FeedbackBenchResult withFirstWin = FeedbackBenchResult.parse("feedback: loop CP@100 0.285 AP 0.779 | frozen "
                + "CP@100 0.241 AP 0.680 | label-to-live n/a s | first win day 7").orElseThrow();
        assertThat(withFirstWin.firstWinDay()).isEqualTo("7");
        assertThat(withFirstWin.cardPrecisionGain()).isEqualTo(0.044, within(1e-9));
        assertThat(live.firstWinDay()).as("a line from before the first win day").isNull();

        assertThat(live.k()).isEqualTo(100);
        assertThat(live.cardPrecisionGain()).isEqualTo(-0.017, within(1e-9));
        assertThat(live.averagePrecisionGain()).isEqualTo(-0.025, within(1e-9));
        assertThat(live.labelToLiveSeconds()).isEqualTo(0.6);
        assertThat(live.labelToLiveOutcome()).isNull();
        assertThat(refused.k()).isEqualTo(50);
        assertThat(refused.loopAveragePrecision()).isNaN();
        assertThat(refused.labelToLiveSeconds()).isEqualTo(3.2);
        assertThat(refused.labelToLiveOutcome()).isEqualTo("refused, not live");
        assertThat(skipped.labelToLiveSeconds()).isNaN();
    }

    @Test
    void anOutputWithoutItsSummaryLineReadsNothing() {
        assertThat(ModelBenchResult.parse("bench model: lacks model.int8.onnx\n")).isEmpty();
        assertThat(PipelineBenchResult.parse(MODEL_LINE)).isEmpty();
        assertThat(FeedbackBenchResult.parse(null)).isEmpty();
    }

    @Test
    void aRunPassesOnlyWithExitCodeZeroAndASummaryLine() {
        assertThat(run(Benchmark.MODEL, 0, MODEL_LINE).passed()).isTrue();
        BenchmarkRun crashed = run(Benchmark.FEEDBACK, 1, "java.lang.IllegalStateException: boom");
        BenchmarkRun silent = run(Benchmark.MODEL, 0, "nothing useful");
        BenchmarkRun incomplete = run(Benchmark.PIPELINE, 1, PIPELINE_LINE);

        assertThat(crashed.passed()).isFalse();
        assertThat(crashed.status()).isEqualTo("FAILED (exit code 1)");
        assertThat(silent.status()).isEqualTo("FAILED (no summary line)");
        assertThat(incomplete.passed()).isFalse();
        assertThat(incomplete.summaryLine()).contains(PIPELINE_LINE);
    }

    @Test
    void theReportComputesTheRatiosOfEachComparison() {
        BenchReport report = allPassed();

        assertThat(report.passed()).isTrue();
        assertThat(report.retrievalThroughputRatio()).isEqualTo(0.75);
        assertThat(report.pipeline().orElseThrow().transactionsPerSecond()).isEqualTo(1200);
        assertThat(report.pipelineWithoutContext().orElseThrow().transactionsPerSecond()).isEqualTo(1600);

        String md = BenchReportWriter.markdown(report);

        assertThat(md).contains("| scoring pipeline vs passthrough, throughput | 1,200 tx/s | passthrough 4,000 tx/s "
                        + "| 0.30 |")
                .contains("| scoring pipeline vs the model alone (no Kafka), throughput | 1,200 tx/s | model-only 9,600 "
                        + "tx/s | 0.13 |")
                .contains("| retrieval on vs off (--no-context), throughput | 1,200 tx/s | off 1,600 tx/s | 0.75 |")
                .contains("| retrieval on vs off (--no-context), p99 latency | 45 ms | off 30 ms | 1.50 |")
                .contains("| int8 vs fp32, latency at batch 64 | int8 40.0 us/tx | fp32 100.0 us/tx | speed-up 2.50x |")
                .contains("| int8 vs fp32, size on disk | int8 1.250 MB | fp32 4.500 MB | 3.60x smaller |")
                .contains("| loop CP@100 0.174 | frozen 0.191 | difference -0.017 |")
                .contains("| loop 0.635 | frozen 0.660 | difference -0.025 |")
                .contains("| 4 of 4 benchmarks passed |");
    }

    @Test
    void aRatioTheBenchmarkPrintsIsTheOneInTheTableNotOneFromItsRoundedNumbers() {
        // 70.44 / 42.76 = 1.647 (the benchmark prints 1.65); its rounded numbers, 70.4 / 42.8, would give 1.64
        String model = ModelBenchCommand.lastLine(42.76, 70.44, 236_000, 623_000);
        BenchReport report = report(List.of(run(Benchmark.MODEL, 0, model), run(Benchmark.PIPELINE, 0, PIPELINE_LINE),
                run(Benchmark.PIPELINE_WITHOUT_CONTEXT, 0, NO_CONTEXT_LINE), run(Benchmark.FEEDBACK, 0, FEEDBACK_LINE)));

        assertThat(model).contains("int8 42.8 us/tx fp32 70.4 us/tx").contains("(speed-up 1.65)");
        assertThat(BenchReportWriter.markdown(report))
                .contains("| int8 42.8 us/tx | fp32 70.4 us/tx | speed-up 1.65x |");
    }

    @Test
    void theMarkdownHasTheMachineEachCommandAndItsFullOutputCollapsed() {
        String md = BenchReportWriter.markdown(allPassed());

        assertThat(md).startsWith("# Vigil benchmarks\n")
                .contains("| date | 2026-11-24 07:00:00 UTC |")
                .contains("| machine | 2 cores, 8.0 GB memory, Test CPU @ 2.0GHz, Linux 6.1 (amd64), Java 17 (Test VM), "
                        + "max heap 3,072 MB |")
                .contains("| command | `./vigil bench --model models/vigil --report .vigil/bench` |")
                .contains("### bench pipeline --no-context: passed\n\n```\n./vigil bench pipeline --model models/vigil "
                        + "--no-context\n```")
                .contains("<details><summary>Full output (2 lines)</summary>\n\n```\nbench model: starting\n"
                        + MODEL_LINE + "\n```\n\n</details>");
        assertThat(md.split("<details>", -1)).hasSize(5);
    }

    @Test
    void aFailedBenchmarkIsReportedWithItsExitCodeAndTheOthersKeepTheirNumbers() {
        BenchReport report = report(List.of(run(Benchmark.MODEL, 0, MODEL_LINE),
                run(Benchmark.PIPELINE, 1, "java.lang.IllegalStateException: the passthrough topology did not start"),
                run(Benchmark.PIPELINE_WITHOUT_CONTEXT, 0, NO_CONTEXT_LINE), run(Benchmark.FEEDBACK, 0, FEEDBACK_LINE)));

        assertThat(report.passed()).isFalse();
        assertThat(report.retrievalThroughputRatio()).isNaN();
        assertThat(report.summaryLines()).containsExactly(MODEL_LINE, "bench pipeline: FAILED (exit code 1)",
                NO_CONTEXT_LINE + " (--no-context)", FEEDBACK_LINE);
        assertThat(BenchReportWriter.markdown(report))
                .contains("| 3 of 4 benchmarks passed |")
                .contains("| scoring pipeline vs passthrough, throughput | bench pipeline FAILED (exit code 1) | | |")
                .contains("| retrieval on vs off (--no-context), throughput | bench pipeline FAILED (exit code 1) "
                        + "| off 1,600 tx/s | n/a |")
                .contains("### bench pipeline: FAILED (exit code 1)")
                .contains("the passthrough topology did not start")
                .contains("| int8 vs fp32, latency at batch 64 | int8 40.0 us/tx |");
    }

    @Test
    void anOutputWithBackticksCannotCloseItsCodeBlock() {
        assertThat(BenchReportWriter.fenceFor("plain")).isEqualTo("```");
        assertThat(BenchReportWriter.fenceFor("a ```` b")).isEqualTo("`````");
    }

    @Test
    void writesTheReportIntoTheDirectoryCreatingIt() throws IOException {
        Path file = BenchReportWriter.write(dir.resolve("bench"), allPassed());

        assertThat(file).isEqualTo(dir.resolve("bench").resolve(BenchReportWriter.FILE));
        assertThat(Files.readString(file)).isEqualTo(BenchReportWriter.markdown(allPassed()));
    }

    @Test
    void theCpuModelIsReadFromProcCpuinfoWhenThere() throws IOException {
        Path cpuInfo = Files.writeString(dir.resolve("cpuinfo"),
                "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)   CPU @ 2.20GHz\n");

        assertThat(Machine.cpuModel(cpuInfo)).isEqualTo("Intel(R) Xeon(R) CPU @ 2.20GHz");
        assertThat(Machine.cpuModel(dir.resolve("absent"))).isNull();
        assertThat(Machine.current().describe()).contains("cores").contains("Java");
    }

    private static BenchReport allPassed() {
        return report(List.of(run(Benchmark.MODEL, 0, "bench model: starting\n" + MODEL_LINE),
                run(Benchmark.PIPELINE, 0, PIPELINE_LINE + "\nstopping the local stack ..."),
                run(Benchmark.PIPELINE_WITHOUT_CONTEXT, 0, NO_CONTEXT_LINE),
                run(Benchmark.FEEDBACK, 0, FEEDBACK_LINE)));
    }

    static BenchReport report(List<BenchmarkRun> runs) {
        Machine machine = new Machine(2, 8_000_000_000L, "Test CPU @ 2.0GHz", "Linux 6.1 (amd64)", "Java 17 (Test VM)",
                3L << 30);
        return new BenchReport("./vigil bench --model models/vigil --report .vigil/bench", "models/vigil", machine,
                ZonedDateTime.of(2026, 11, 24, 7, 0, 0, 0, ZoneOffset.UTC), runs);
    }

    static BenchmarkRun run(Benchmark benchmark, int exitCode, String output) {
        return new BenchmarkRun(benchmark, benchmark.commandLine(Path.of("models/vigil"), false), exitCode, output,
                Duration.ofSeconds(12));
    }
}
