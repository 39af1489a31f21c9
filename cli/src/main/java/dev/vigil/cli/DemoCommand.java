package dev.vigil.cli;

import dev.vigil.cli.demo.DemoRun;
import dev.vigil.cli.demo.DemoSettings;
import dev.vigil.schemas.cli.GracefulStop;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The main job, end to end on the embedded local stack: the stack, a simulated history and a base model trained on it
 * (if none), the scorer, the feedback loop and the analyst simulator, then a paced live payment stream with a new
 * fraud wave under a live dashboard, and a report (Markdown and PNG charts) at the end. The orchestration is
 * {@link DemoRun}; this class reads the options and handles Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run Vigil end to end on the embedded local stack: simulate a payment history, train a base "
                + "model on it if none exists, then stream live payments with a new fraud wave through the scorer, "
                + "the analysts and the feedback loop under a live dashboard, and write a report.",
                "Ctrl-C stops early; everything is shut down and the report is still written."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--days", defaultValue = "7", paramLabel = "N",
            description = "Live simulated days to stream (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--history-days", defaultValue = "21", paramLabel = "N",
            description = "Simulated days before the live ones: the base trains on them, the last --warm-up-days "
                    + "of them warm the pipeline up (default: ${DEFAULT-VALUE}).")
    int historyDays;

    @Option(names = "--warm-up-days", defaultValue = "7", paramLabel = "N",
            description = "The last history days pushed through the whole pipeline at full speed before the live "
                    + "ones, so card state, cases, decisions and labels are warm (default: ${DEFAULT-VALUE}).")
    int warmUpDays;

    @Option(names = "--warm-up-rate", defaultValue = "500", paramLabel = "TPS",
            description = "Payments per second offered during the warm-up; 0 offers them as fast as the scorer takes "
                    + "them, which on a busy machine scores most without context (default: ${DEFAULT-VALUE}).")
    double warmUpRate;

    @Option(names = "--wave-day", defaultValue = "3", paramLabel = "N",
            description = "The live day (1 = the first) on which the fuel-station fraud wave starts; the days before "
                    + "it are the report's baseline (default: ${DEFAULT-VALUE}; at most --days).")
    int waveDay;

    @Option(names = "--seconds-per-day", defaultValue = "20", paramLabel = "S",
            description = "Wall-clock seconds one live simulated day takes (default: ${DEFAULT-VALUE}).")
    double secondsPerDay;

    @Option(names = "--cards", defaultValue = "2000", description = "Simulated cards (default: ${DEFAULT-VALUE}).")
    int cards;

    @Option(names = "--merchants", defaultValue = "400", description = "Simulated merchants (default: ${DEFAULT-VALUE}).")
    int merchants;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model", defaultValue = ".vigil/models/demo", paramLabel = "DIR",
            description = "The model; trained on the simulated history when the folder holds none "
                    + "(default: ${DEFAULT-VALUE}). A model trained on other data works but grades less well.")
    Path model;

    @Option(names = "--train-epochs", defaultValue = "4", paramLabel = "N",
            description = "Base epochs when the model is trained here (default: ${DEFAULT-VALUE}).")
    int trainEpochs;

    @Option(names = "--report", defaultValue = ".vigil/demo/report", paramLabel = "DIR",
            description = "Where the report goes: report.md and its PNG charts (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--data-dir", defaultValue = ".vigil/demo", paramLabel = "DIR",
            description = "The stack's data (wiped at start), the simulated CSV, the logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--keys", defaultValue = ".vigil/keys", paramLabel = "DIR",
            description = "The adapter signing key pair (adapters.key, adapters.pub); generated if missing "
                    + "(default: ${DEFAULT-VALUE}).")
    Path keys;

    @Option(names = "--k", defaultValue = "100",
            description = "Cards the analysts review a day, and the k of precision@k (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--plain", description = "Plain progress lines even on a terminal.")
    boolean plain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DemoSettings settings;
        try {
            settings = new DemoSettings(days, historyDays, warmUpDays, warmUpRate, Math.min(waveDay, days), cards, merchants, seed, secondsPerDay, dataDir, model,
                    report, keys, k, trainEpochs, plain);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean ansi = !plain && DemoRun.isTerminal();
        java.util.List<String> args = new java.util.ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0); // the parent's parse result starts with the subcommand's name
        }
        DemoRun run = new DemoRun(settings, out, String.join(" ", java.util.stream.Stream.concat(
                java.util.stream.Stream.of("./vigil", spec.name()), args.stream()).toList()), ansi);
        // on Ctrl-C the run shuts down in order and writes its report
        GracefulStop stop = GracefulStop.install("demo-shutdown", run::requestStop, Duration.ofSeconds(90));
        try {
            run.run();
            return 0;
        } catch (Exception e) {
            spec.commandLine().getErr().println("demo: failed: " + e.getMessage() + " (details in "
                    + settings.logFile() + ")");
            return 1;
        } finally {
            stop.close();
        }
    }
}
