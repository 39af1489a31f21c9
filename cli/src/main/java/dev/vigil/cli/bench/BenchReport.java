package dev.vigil.cli.bench;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@code ./vigil bench}: where and when it ran and every benchmark's run, with the numbers read from
 * their summary lines. {@link BenchReportWriter} turns it into Markdown.
 *
 * @param command the command that produced it
 * @param modelDirectory the model directory every benchmark used
 * @param started when the first benchmark started
 * @param runs    the runs, in the order they ran
 */
public record BenchReport(String command, String modelDirectory, Machine machine, ZonedDateTime started,
                          List<BenchmarkRun> runs) {

    public BenchReport {
        runs = List.copyOf(runs);
    }

    public Optional<BenchmarkRun> run(Benchmark benchmark) {
        return runs.stream().filter(r -> r.benchmark() == benchmark).findFirst();
    }

    public Optional<ModelBenchResult> model() {
        return run(Benchmark.MODEL).flatMap(r -> ModelBenchResult.parse(r.output()));
    }

    /** The pipeline with context retrieval from OpenSearch (production's configuration). */
    public Optional<PipelineBenchResult> pipeline() {
        return run(Benchmark.PIPELINE).flatMap(r -> PipelineBenchResult.parse(r.output()));
    }

    public Optional<PipelineBenchResult> pipelineWithoutContext() {
        return run(Benchmark.PIPELINE_WITHOUT_CONTEXT).flatMap(r -> PipelineBenchResult.parse(r.output()));
    }

    public Optional<FeedbackBenchResult> feedback() {
        return run(Benchmark.FEEDBACK).flatMap(r -> FeedbackBenchResult.parse(r.output()));
    }

    /** Throughput with context retrieval over throughput without it; NaN unless both ran. */
    public double retrievalThroughputRatio() {
        return pipeline().flatMap(on -> pipelineWithoutContext()
                        .map(off -> on.transactionsPerSecond() / off.transactionsPerSecond()))
                .orElse(Double.NaN);
    }

    /** Whether there were runs and every one passed. */
    public boolean passed() {
        return !runs.isEmpty() && runs.stream().allMatch(BenchmarkRun::passed);
    }

    /** One line per run: its summary line, or what went wrong. */
    public List<String> summaryLines() {
        List<String> lines = new ArrayList<>();
        for (BenchmarkRun run : runs) {
            if (run.passed()) {
                lines.add(run.benchmark() == Benchmark.PIPELINE_WITHOUT_CONTEXT
                        ? run.summaryLine().orElseThrow() + " (--no-context)" : run.summaryLine().orElseThrow());
            } else {
                lines.add(run.benchmark().label() + ": " + run.status() + run.summaryLine().map(l -> "; last summary: " + l).orElse(""));
            }
        }
        return lines;
    }
}
