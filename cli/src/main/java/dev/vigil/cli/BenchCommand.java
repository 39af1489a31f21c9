package dev.vigil.cli;

import dev.vigil.cli.bench.BenchReport;
import dev.vigil.cli.bench.BenchReportWriter;
import dev.vigil.cli.bench.BenchSuite;
import dev.vigil.cli.bench.BenchmarkRun;
import dev.vigil.cli.bench.Benchmark;
import dev.vigil.model.ModelDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmarks: programs that print numbers, each measured against a baseline in the same run, whose last line has
 * a fixed form the team's tracking reads. Each subcommand lives in the module it measures; without a subcommand,
 * {@code ./vigil bench} runs them all (model, pipeline, pipeline --no-context, feedback) in this JVM, one after the
 * other, and writes one report, {@code bench-report.md}, with the machine, each exact command, its full output and a
 * results table. Exit status 0 when every benchmark passed, 1 when one failed (the others still run) or the model
 * is missing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks; each prints its numbers and ends with one summary line.",
                "Without a subcommand: runs every benchmark and writes one report (DIR/bench-report.md)."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "models/vigil", paramLabel = "DIR",
            description = "The model every benchmark uses, trained on the pre-wave part of ./vigil simulate --days 60 "
                    + "--cards 5000 --merchants 1000 --seed 42 (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--report", defaultValue = ".vigil/bench", paramLabel = "DIR",
            description = "Where bench-report.md goes (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--quick", description = "Shorter model and pipeline runs (fewer repetitions, 20,000 payments, "
            + "10 s of latency); the feedback bench always runs in full.")
    boolean quick;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final BenchSuite suite;

    public BenchCommand() {
        this(new BenchSuite());
    }

    BenchCommand(BenchSuite suite) {
        this.suite = suite;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> missing = Files.isDirectory(model) ? new ModelDirectory(model).missingFiles() : ModelDirectory.FILES;
        if (!missing.isEmpty()) {
            err.println(missingModelMessage(model, missing));
            err.flush();
            return 1;
        }
        BenchReport result = suite.run(List.of(Benchmark.values()), model, quick, commandLine(), out);
        String written;
        boolean reportWritten = true;
        try {
            written = "report: " + BenchReportWriter.write(report, result);
        } catch (IOException e) {
            // the numbers below are still worth having after a long run
            written = "the report could not be written to " + report + ": " + e;
            reportWritten = false;
        }
        out.println();
        out.println("bench: " + result.runs().stream().filter(BenchmarkRun::passed).count() + " of "
                + result.runs().size() + " benchmarks passed; " + written);
        result.summaryLines().forEach(out::println);
        out.flush();
        return result.passed() && reportWritten ? 0 : 1;
    }

    private String commandLine() {
        return "./vigil bench --model " + model + " --report " + report + (quick ? " --quick" : "");
    }

    static String missingModelMessage(Path model, List<String> missing) {
        return "bench: " + model + " holds no trained model" + (Files.isDirectory(model) ? " (missing "
                + String.join(", ", missing) + ")" : " (no such directory)") + ". The benchmarks need the model "
                + "the feedback bench is designed for, trained on the pre-wave part of its simulation:\n"
                + "  ./vigil simulate --days 60 --cards 5000 --merchants 1000 --seed 42 --out sim60.csv\n"
                + "  ./vigil train --data sim60.csv --train-from 2026-01-08 --train-to 2026-02-12 --out " + model + "\n"
                + "then run ./vigil bench again (or pass --model DIR; see feedback-rl/README.md, \"Benchmark\").";
    }
}
