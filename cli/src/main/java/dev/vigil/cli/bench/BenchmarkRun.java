package dev.vigil.cli.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * One benchmark as it ran: the command, its exit code, everything it printed (standard output and its error stream
 * as picocli's writers saw them, interleaved as written) and how long it took.
 *
 * @param command the command line a person would type to run it alone
 */
public record BenchmarkRun(Benchmark benchmark, String command, int exitCode, String output, Duration wallTime) {

    /** Its summary line, if it printed one. */
    public Optional<String> summaryLine() {
        return switch (benchmark) {
            case MODEL -> ModelBenchResult.parse(output).map(ModelBenchResult::line);
            case PIPELINE, PIPELINE_WITHOUT_CONTEXT -> PipelineBenchResult.parse(output).map(PipelineBenchResult::line);
            case FEEDBACK -> FeedbackBenchResult.parse(output).map(FeedbackBenchResult::line);
        };
    }

    /** Exit code 0 and a summary line. */
    public boolean passed() {
        return exitCode == 0 && summaryLine().isPresent();
    }

    /** {@code passed}, {@code FAILED (exit code 1)}, or {@code FAILED (no summary line)}. */
    public String status() {
        if (exitCode != 0) {
            return "FAILED (exit code " + exitCode + ")";
        }
        return summaryLine().isPresent() ? "passed" : "FAILED (no summary line)";
    }
}
