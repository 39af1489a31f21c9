package dev.vigil.bench.model;

import dev.vigil.model.Engines;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.trainer.card.ServingLatency;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil bench model}: latency and size of a trained model's serving graphs, int8 against fp32 in the same
 * run, both with the model's adapter, on ONNX Runtime (CPU) through the scorer the streams app uses.
 *
 * <pre>
 * ./vigil bench model --model models/sim60 [--reps 15] [--threads 1] [--opt ALL_OPT]
 * </pre>
 *
 * Per batch size (1 and 64): warm-up, then {@code --reps} repetitions in which the two graphs take turns; the median
 * in microseconds per transaction. Memory: ONNX Runtime's native memory per loaded and warmed session, from the
 * process's resident set outside the JVM's pools (see {@link ServingLatency}). The last line is always
 * {@code model: int8 X us/tx fp32 Y us/tx at batch 64 (speed-up S); size int8 A MB fp32 B MB} (sizes on disk, MB =
 * 10^6 bytes). Exit status 0, 1 when the model directory is incomplete or unreadable, 2 for a bad option.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Latency (batch 1 and 64) and size of a model's int8 and fp32 serving graphs on ONNX Runtime,"
                + " in the same run.",
                "Last line: model: int8 X us/tx fp32 Y us/tx at batch 64 (speed-up S); size int8 A MB fp32 B MB"})
public final class ModelBenchCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model directory written by ./vigil train (models/NAME).")
    Path model;

    @Option(names = "--reps", defaultValue = "15", paramLabel = "N",
            description = "Timed repetitions per batch size; the median is reported (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "ONNX Runtime intra-op threads per session; serving gives each stream thread one "
                    + "(default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--opt", defaultValue = "ALL_OPT", paramLabel = "LEVEL",
            description = "ONNX Runtime graph optimisation: NO_OPT, BASIC_OPT, EXTENDED_OPT or ALL_OPT (int8 needs "
                    + "EXTENDED_OPT or more for its fused kernels; default: ${DEFAULT-VALUE}).")
    String opt;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public ModelBenchCommand() {
    }

    /** Runs the command on its own (without the {@code ./vigil} launcher). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ModelBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (reps < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reps must be at least 1, got " + reps);
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads must be at least 1, got " + threads);
        }
        if (!java.util.Set.of("NO_OPT", "BASIC_OPT", "EXTENDED_OPT", "ALL_OPT").contains(opt)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--opt must be NO_OPT, BASIC_OPT, EXTENDED_OPT or ALL_OPT, got " + opt);
        }
        Engines.configure(1);
        Engines.initOnnxRuntime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelDirectory directory = new ModelDirectory(model);
        Adapter adapter;
        try {
            if (!directory.int8().toFile().isFile() || !directory.fp32().toFile().isFile()) {
                err.println("bench model: " + model + " lacks " + ModelDirectory.INT8 + " or " + ModelDirectory.FP32
                        + " (train a model with ./vigil train)");
                return 1;
            }
            adapter = directory.adapter();
        } catch (java.io.IOException | IllegalArgumentException e) {
            err.println("bench model: cannot read the adapter of " + model + ": " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "bench model: %s, ONNX Runtime CPU, %d intra-op thread(s), %s, median of %d reps, "
                + "adapter rank %d (%,d parameters)%n", model, threads, opt, reps, adapter.rank(),
                adapter.parameterCount());
        out.flush();
        ServingLatency.Result result = ServingLatency.measure(directory.int8(), directory.fp32(), adapter,
                new ServingLatency.Options(reps, threads, opt, true));
        print(out, result);
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, ServingLatency.Result r) {
        out.printf(Locale.ROOT, "  %-22s %12s %12s%n", "us per transaction", "batch 1", "batch 64");
        out.printf(Locale.ROOT, "  %-22s %12.1f %12.1f%n", "int8", r.int8().at(1), r.int8().at(64));
        out.printf(Locale.ROOT, "  %-22s %12.1f %12.1f%n", "fp32", r.fp32().at(1), r.fp32().at(64));
        out.printf(Locale.ROOT, "  %-22s %11.2fx %11.2fx%n", "int8 speed-up", r.speedUp(1), r.speedUp(64));
        out.printf(Locale.ROOT, "  size on disk: int8 %,d B, fp32 %,d B (%.2fx smaller)%n", r.int8().fileBytes(),
                r.fp32().fileBytes(), (double) r.fp32().fileBytes() / r.int8().fileBytes());
        out.printf(Locale.ROOT, "  in memory per session (ONNX Runtime native memory: growth of the resident set "
                        + "outside the JVM's heap and non-heap pools with %d sessions loaded and warmed, divided by %d): "
                        + "int8 %s, fp32 %s%n", ServingLatency.MEMORY_SESSIONS, ServingLatency.MEMORY_SESSIONS,
                mb(r.int8().residentBytes()), mb(r.fp32().residentBytes()));
        out.printf(Locale.ROOT, "  runs on %s, load average %.1f%n", r.runsOn(), r.loadAverage());
        out.println(lastLine(r.int8().at(64), r.fp32().at(64), r.int8().fileBytes(), r.fp32().fileBytes()));
    }

    /** The line every run ends with (the format is a contract: scripts read it). */
    public static String lastLine(double int8Micros, double fp32Micros, long int8Bytes, long fp32Bytes) {
        return String.format(Locale.ROOT, "model: int8 %.1f us/tx fp32 %.1f us/tx at batch 64 (speed-up %.2f); "
                + "size int8 %.3f MB fp32 %.3f MB", int8Micros, fp32Micros, fp32Micros / int8Micros,
                int8Bytes / 1e6, fp32Bytes / 1e6);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
