package dev.vigil.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The suite runs stand-in picocli commands that print canned outputs: no servers, no model. */
class BenchSuiteTest {

    private final List<List<String>> received = new ArrayList<>();

    @Test
    void everyBenchmarkRunsWithItsArgumentsAndItsOutputIsCapturedAndShown() {
        StringWriter console = new StringWriter();
        BenchSuite suite = new BenchSuite(b -> new Canned(b == Benchmark.MODEL ? BenchReportTest.MODEL_LINE
                : b == Benchmark.FEEDBACK ? BenchReportTest.FEEDBACK_LINE : BenchReportTest.PIPELINE_LINE, 0));

        BenchReport report = suite.run(List.of(Benchmark.values()), Path.of("models/m"), true, "./vigil bench",
                new PrintWriter(console));

        assertThat(report.passed()).isTrue();
        assertThat(report.runs()).extracting(BenchmarkRun::benchmark).containsExactly(Benchmark.values());
        assertThat(received.get(0)).containsExactly("--model", "models/m", "--reps", "5");
        assertThat(received.get(2)).startsWith("--model", "models/m").endsWith("--no-context");
        assertThat(received.get(3)).containsExactly("--model", "models/m");
        assertThat(report.run(Benchmark.MODEL).orElseThrow().output())
                .isEqualTo("running with --model models/m\n" + BenchReportTest.MODEL_LINE + "\n");
        assertThat(report.run(Benchmark.MODEL).orElseThrow().command())
                .isEqualTo("./vigil bench model --model models/m --reps 5");
        assertThat(console.toString()).contains(BenchReportTest.MODEL_LINE, BenchReportTest.FEEDBACK_LINE,
                "== bench model (1 of 4)", "== bench feedback: passed");
    }

    @Test
    void aBenchmarkThatThrowsOrExitsNonZeroIsRecordedAndTheOthersStillRun() {
        BenchSuite suite = new BenchSuite(b -> switch (b) {
            case MODEL -> new Canned(BenchReportTest.MODEL_LINE, 0);
            case PIPELINE -> new Canned(null, 0);
            case PIPELINE_WITHOUT_CONTEXT -> new Canned("partial output", 3);
            case FEEDBACK -> new Canned(BenchReportTest.FEEDBACK_LINE, 0);
        });

        BenchReport report = suite.run(List.of(Benchmark.values()), Path.of("m"), false, "./vigil bench",
                new PrintWriter(new StringWriter()));

        assertThat(report.passed()).isFalse();
        assertThat(report.runs()).extracting(BenchmarkRun::exitCode).containsExactly(0, 1, 3, 0);
        assertThat(report.run(Benchmark.PIPELINE).orElseThrow().output())
                .contains("IllegalStateException: the stand-in bench broke");
        assertThat(report.feedback()).isPresent();
    }

    /** A bench that prints a line and its summary to picocli's writers, or throws when the summary is null. */
    @Command(name = "canned")
    final class Canned implements Callable<Integer> {

        @Option(names = "--model")
        String model;

        @CommandLine.Unmatched
        List<String> rest = new ArrayList<>();

        @Spec
        CommandLine.Model.CommandSpec spec;

        private final String summary;
        private final int exitCode;

        Canned(String summary, int exitCode) {
            this.summary = summary;
            this.exitCode = exitCode;
        }

        @Override
        public Integer call() {
            received.add(spec.commandLine().getParseResult().originalArgs());
            spec.commandLine().getOut().println("running with --model " + model);
            if (summary == null) {
                throw new IllegalStateException("the stand-in bench broke");
            }
            spec.commandLine().getOut().println(summary);
            return exitCode;
        }
    }
}
