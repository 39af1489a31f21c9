package dev.vigil.cli.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * Runs every {@link Benchmark} in this JVM, one after the other, through its own picocli command, exactly as
 * {@code ./vigil bench SUBCOMMAND} would; what each prints goes to the console as it comes and into its
 * {@link BenchmarkRun}. A benchmark that fails (non-zero exit code, or an exception, which picocli turns into exit
 * code 1 with the stack trace on the error stream) is recorded as such and the next one runs.
 */
public final class BenchSuite {

    private final Function<Benchmark, Object> commands;

    /** The real benchmarks. */
    public BenchSuite() {
        this(Benchmark::newCommand);
    }

    /** Benchmarks whose picocli commands come from {@code commands} (tests pass stand-ins). */
    BenchSuite(Function<Benchmark, Object> commands) {
        this.commands = commands;
    }

    /**
     * Runs the benchmarks against {@code model}, printing as they go to {@code console}.
     *
     * @param command the command line that asked for the suite, for the report
     */
    public BenchReport run(List<Benchmark> benchmarks, Path model, boolean quick, String command,
                           PrintWriter console) {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        List<BenchmarkRun> runs = new ArrayList<>();
        for (Benchmark benchmark : benchmarks) {
            console.printf("%n== %s (%d of %d): %s%n", benchmark.label(), runs.size() + 1, benchmarks.size(),
                    benchmark.commandLine(model, quick));
            console.flush();
            BenchmarkRun run = run(benchmark, model, quick, console);
            console.printf("== %s: %s after %.1f s%n", benchmark.label(), run.status(),
                    run.wallTime().toMillis() / 1000.0);
            console.flush();
            runs.add(run);
        }
        return new BenchReport(command, model.toString(), Machine.current(), started, runs);
    }

    private BenchmarkRun run(Benchmark benchmark, Path model, boolean quick, PrintWriter console) {
        StringWriter captured = new StringWriter();
        PrintWriter tee = new PrintWriter(new Tee(console, captured), true);
        long start = System.nanoTime();
        int exitCode;
        try {
            exitCode = new CommandLine(commands.apply(benchmark))
                    .setOut(tee)
                    .setErr(tee)
                    .execute(benchmark.arguments(model, quick).toArray(String[]::new));
        } catch (RuntimeException | Error e) {
            // execute() handles what the command throws; this is for what escapes picocli itself
            e.printStackTrace(tee);
            exitCode = 1;
        }
        tee.flush();
        return new BenchmarkRun(benchmark, benchmark.commandLine(model, quick), exitCode, captured.toString(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Writes to the console and to the capture; closing it closes neither. */
    private static final class Tee extends Writer {

        private final PrintWriter console;
        private final StringWriter capture;

        Tee(PrintWriter console, StringWriter capture) {
            this.console = console;
            this.capture = capture;
        }

        @Override
        public synchronized void write(char[] buffer, int offset, int length) {
            capture.write(buffer, offset, length);
            console.write(buffer, offset, length);
        }

        @Override
        public synchronized void flush() {
            console.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
