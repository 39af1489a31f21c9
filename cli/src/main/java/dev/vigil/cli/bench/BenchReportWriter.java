package dev.vigil.cli.bench;

import static dev.vigil.cli.report.ReportFormat.cell;
import static dev.vigil.cli.report.ReportFormat.format;

import dev.vigil.cli.report.ReportFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes a {@link BenchReport} as {@value #FILE}: the machine and date, the results table (each number beside the
 * baseline measured in the same run), then every benchmark's exact command, status, summary line and full output
 * (in a collapsed {@code <details>} block). The same report gives the same text.
 */
public final class BenchReportWriter {

    public static final String FILE = "bench-report.md";

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);

    private BenchReportWriter() {
    }

    /** Creates {@code dir} if needed and writes {@value #FILE} into it; returns the file. */
    public static Path write(Path dir, BenchReport report) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        Files.writeString(file, markdown(report), StandardCharsets.UTF_8);
        return file;
    }

    public static String markdown(BenchReport report) {
        StringBuilder md = new StringBuilder("# Vigil benchmarks\n\n");
        long passed = report.runs().stream().filter(BenchmarkRun::passed).count();
        md.append("| | |\n| --- | --- |\n");
        md.append("| date | ").append(report.started() == null ? "n/a" : DATE.format(report.started().withZoneSameInstant(ZoneOffset.UTC))).append(" |\n");
        md.append("| machine | ").append(cell(report.machine() == null ? null : report.machine().describe()))
                .append(" |\n");
        md.append("| command | `").append(cell(report.command())).append("` |\n");
        md.append("| model | `").append(cell(report.modelDirectory())).append("` |\n");
        md.append("| outcome | ").append(passed).append(" of ").append(report.runs().size())
                .append(" benchmarks passed |\n\n");

        md.append("## Results\n\n");
        md.append("Each number next to its baseline, measured in the same run on the same machine; ratio = measured / "
                + "baseline, except for int8, where it is fp32 / int8 (speed-up, size). Where a benchmark prints a "
                + "ratio itself (pipeline vs passthrough or vs the model alone, the int8 speed-up), the table shows that one: it is "
                + "computed before rounding.\n\n");
        md.append("| comparison | measured | baseline | ratio |\n| --- | ---: | ---: | ---: |\n");
        Optional<PipelineBenchResult> pipeline = report.pipeline();
        Optional<PipelineBenchResult> withoutContext = report.pipelineWithoutContext();
        row(md, "scoring pipeline vs passthrough, throughput", pipeline, report, Benchmark.PIPELINE,
                p -> rate(p.transactionsPerSecond()), p -> "passthrough " + rate(p.passthroughTransactionsPerSecond()),
                p -> format("%.2f", p.ratio()));
        row(md, "scoring pipeline vs the model alone (no Kafka), throughput", pipeline, report, Benchmark.PIPELINE,
                p -> rate(p.transactionsPerSecond()), p -> "model-only " + rate(p.modelOnlyTransactionsPerSecond()),
                p -> format("%.2f", p.modelOnlyRatio()));
        row(md, "scoring pipeline, end-to-end latency", pipeline, report, Benchmark.PIPELINE,
                p -> "p50 " + millis(p.p50Millis()) + ", p99 " + millis(p.p99Millis()),
                p -> "at " + rate(p.offeredPerSecond()) + " offered", p -> "");
        row(md, "retrieval on vs off (--no-context), throughput", withoutContext, report,
                Benchmark.PIPELINE_WITHOUT_CONTEXT,
                off -> pipeline.map(on -> rate(on.transactionsPerSecond())).orElse(missing(report, Benchmark.PIPELINE)),
                off -> "off " + rate(off.transactionsPerSecond()),
                off -> format("%.2f", report.retrievalThroughputRatio()));
        row(md, "retrieval on vs off (--no-context), p99 latency", withoutContext, report,
                Benchmark.PIPELINE_WITHOUT_CONTEXT,
                off -> pipeline.map(on -> millis(on.p99Millis())).orElse(missing(report, Benchmark.PIPELINE)),
                off -> "off " + millis(off.p99Millis()),
                off -> pipeline.map(on -> format("%.2f", on.p99Millis() / off.p99Millis())).orElse("n/a"));
        row(md, "int8 vs fp32, latency at batch 64", report.model(), report, Benchmark.MODEL,
                m -> "int8 " + format("%.1f", m.int8MicrosPerTransaction()) + " us/tx",
                m -> "fp32 " + format("%.1f", m.fp32MicrosPerTransaction()) + " us/tx",
                m -> "speed-up " + format("%.2f", m.speedUp()) + "x");
        row(md, "int8 vs fp32, size on disk", report.model(), report, Benchmark.MODEL,
                m -> "int8 " + format("%.3f", m.int8Megabytes()) + " MB",
                m -> "fp32 " + format("%.3f", m.fp32Megabytes()) + " MB",
                m -> format("%.2f", m.sizeRatio()) + "x smaller");
        row(md, "feedback loop vs frozen adapter, CP@k (mean from the wave's start)", report.feedback(), report,
                Benchmark.FEEDBACK, f -> "loop CP@" + f.k() + " " + format("%.3f", f.loopCardPrecision()),
                f -> "frozen " + format("%.3f", f.frozenCardPrecision()),
                f -> "difference " + format("%+.3f", f.cardPrecisionGain())
                        + (f.firstWinDay() == null ? "" : "; first win day " + cell(f.firstWinDay())));
        row(md, "feedback loop vs frozen adapter, AP (mean from the wave's start)", report.feedback(), report,
                Benchmark.FEEDBACK, f -> "loop " + format("%.3f", f.loopAveragePrecision()),
                f -> "frozen " + format("%.3f", f.frozenAveragePrecision()),
                f -> "difference " + format("%+.3f", f.averagePrecisionGain()));
        row(md, "label-to-live (burst of labels to the new adapter live)", report.feedback(), report,
                Benchmark.FEEDBACK, f -> format("%.1f", f.labelToLiveSeconds()) + " s"
                        + (f.labelToLiveOutcome() == null ? "" : " (" + cell(f.labelToLiveOutcome()) + ")"),
                f -> "", f -> "");
        md.append('\n');

        md.append("## Runs\n");
        for (BenchmarkRun run : report.runs()) {
            md.append("\n### ").append(run.benchmark().label()).append(": ").append(run.status()).append("\n\n");
            md.append("```\n").append(run.command()).append("\n```\n\n");
            md.append("Wall time ").append(run.wallTime() == null ? "n/a"
                    : format("%.1f", run.wallTime().toMillis() / 1000.0) + " s").append(", exit code ")
                    .append(run.exitCode()).append(". Summary line: ")
                    .append(run.summaryLine().map(l -> "`" + l + "`").orElse("none")).append("\n\n");
            String output = run.output() == null ? "" : run.output().stripTrailing();
            String fence = fenceFor(output);
            md.append("<details><summary>Full output (").append(output.isEmpty() ? 0 : output.lines().count())
                    .append(" lines)</summary>\n\n").append(fence).append('\n').append(output)
                    .append(output.isEmpty() ? "" : "\n").append(fence).append("\n\n</details>\n");
        }
        return md.toString();
    }

    private static <T> void row(StringBuilder md, String comparison, Optional<T> result, BenchReport report,
                                Benchmark benchmark, Function<T, String> measured, Function<T, String> baseline,
                                Function<T, String> ratio) {
        List<String> cells = result.isPresent()
                ? List.of(comparison, measured.apply(result.get()), baseline.apply(result.get()),
                        ratio.apply(result.get()))
                : List.of(comparison, missing(report, benchmark), "", "");
        md.append(("| " + String.join(" | ", cells) + " |").replace("|  |", "| |").replace("|  |", "| |"))
                .append('\n');
    }

    /** Why a benchmark has no numbers: it failed, or it did not run. */
    private static String missing(BenchReport report, Benchmark benchmark) {
        return report.run(benchmark).map(r -> r.benchmark().label() + " " + r.status()).orElse("not run");
    }

    /** A code fence longer than any run of backticks in the text, so that the output cannot close it. */
    static String fenceFor(String text) {
        int longest = 0;
        int current = 0;
        for (int i = 0; i < text.length(); i++) {
            current = text.charAt(i) == '`' ? current + 1 : 0;
            longest = Math.max(longest, current);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    private static String rate(double perSecond) {
        return ReportFormat.rate(perSecond) + " tx/s";
    }

    /** Whole milliseconds (the report's own rule shows a decimal under 10 ms). */
    private static String millis(double value) {
        return format("%,.0f", value) + " ms";
    }
}
