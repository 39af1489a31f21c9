package dev.vigil.trainer;

import dev.vigil.evaluation.EvaluateCommand;
import dev.vigil.model.Engines;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.trainer.fitting.TrainingProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil train}: builds a model directory from a labeled history CSV (the canonical transaction CSV; the
 * required columns and {@code label} are enough): point-in-time features, the base network, its fp32 and int8 ONNX
 * graphs, the first LoRA adapter, an XGBoost baseline on the same features, and a model card with the test metrics
 * of both (evaluation module, Handbook protocol).
 *
 * <pre>
 * ./vigil train --data data/transactions.csv --train-from 2026-01-08 --train-to 2026-02-12 --out models/sim60
 *     [--test-from 2026-02-19 --test-to 2026-02-26] [--label-delay 7] [--epochs 6] [--seed 20240601] ...
 * </pre>
 *
 * Times are a date (00:00 UTC) or an ISO instant; every {@code --*-to} is exclusive, as in {@code vigil evaluate}.
 * Progress (epoch, loss, throughput, ETA) goes to stderr, the results to stdout. Exit status: 0 written, 1 the data
 * cannot train a model (unreadable, no label column, a window without frauds), 2 bad option.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the base model and its first adapter on a labeled history CSV, export the fp32 and "
                + "int8 ONNX graphs, train an XGBoost baseline on the same features, and write a model card with "
                + "both evaluated on the test window.",
                "Writes into --out: model.fp32.onnx, model.int8.onnx, base-model.sha256, base-weights.bin, "
                        + "adapter.bin, adapter.json, feature-spec.json, network-config.json, baseline.xgboost.json, "
                        + "model-card.json, model-card.md."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Labeled history: the canonical transaction CSV with a label column (0/1).")
    Path data;

    @Option(names = "--train-from", required = true, paramLabel = "T", converter = EvaluateCommand.TimeArgument.class,
            description = "Start of the train window, inclusive: a date (UTC midnight) or an ISO instant.")
    Instant trainFrom;

    @Option(names = "--train-to", required = true, paramLabel = "T", converter = EvaluateCommand.TimeArgument.class,
            description = "End of the train window, exclusive (2026-02-12 = up to 2026-02-11 included).")
    Instant trainTo;

    @Option(names = "--test-from", paramLabel = "T", converter = EvaluateCommand.TimeArgument.class,
            description = "Start of the test window, inclusive. Default: --train-to plus the label delay.")
    Instant testFrom;

    @Option(names = "--test-to", paramLabel = "T", converter = EvaluateCommand.TimeArgument.class,
            description = "End of the test window, exclusive. Default: --test-from plus --test-days.")
    Instant testTo;

    @Option(names = "--test-days", defaultValue = "7", paramLabel = "DAYS",
            description = "Length of the test window when --test-to is not given (default: ${DEFAULT-VALUE}).")
    int testDays;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model directory (models/NAME).")
    Path out;

    @Option(names = "--force", description = "Overwrite a model directory that already holds files.")
    boolean force;

    @Option(names = "--label-delay", defaultValue = "7", paramLabel = "DAYS",
            description = "Days from a fraud payment to its chargeback: when the context sources learn it, and the "
                    + "known-compromised exclusion of the evaluation (default: ${DEFAULT-VALUE}).")
    int labelDelayDays;

    @Option(names = "--epochs", defaultValue = "6", paramLabel = "N",
            description = "Passes over the base training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr-decay-epochs", defaultValue = "2", paramLabel = "N",
            description = "The base's last N epochs each halve the learning rate (default: ${DEFAULT-VALUE}).")
    int decayEpochs;

    @Option(names = "--adapter-epochs", defaultValue = "1", paramLabel = "N",
            description = "Passes over the adapter window, base frozen (default: ${DEFAULT-VALUE}).")
    int adapterEpochs;

    @Option(names = "--adapter-days", defaultValue = "7", paramLabel = "DAYS",
            description = "The first adapter trains on the last DAYS of the train window, every transaction of "
                    + "them (default: ${DEFAULT-VALUE}).")
    int adapterDays;

    @Option(names = "--negative-sample", defaultValue = "0.2", paramLabel = "RATE",
            description = "Share of genuine train-window transactions kept for the base (every fraud is kept); "
                    + "kept ones weigh 1/RATE in the loss, so the loss is the full data's (default: ${DEFAULT-VALUE}).")
    double negativeSample;

    @Option(names = "--batch-size", defaultValue = "256", paramLabel = "N",
            description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.002", paramLabel = "LR",
            description = "Adam learning rate of the base (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--adapter-learning-rate", defaultValue = "0.001", paramLabel = "LR",
            description = "Adam learning rate of the adapter (default: ${DEFAULT-VALUE}).")
    float adapterLearningRate;

    @Option(names = "--positive-weight", defaultValue = "1", paramLabel = "W",
            description = "Extra loss weight of a fraud over a genuine transaction (default: ${DEFAULT-VALUE}).")
    float positiveWeight;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the initial weights, the negative sample, the batch order and the baseline "
                    + "(default: " + NetworkConfig.DEFAULT_SEED + ").")
    Long seed;

    @Option(names = "--lora-rank", defaultValue = "8", paramLabel = "R",
            description = "LoRA rank of the adapter (default: ${DEFAULT-VALUE}).")
    int loraRank;

    @Option(names = "--lora-alpha", defaultValue = "16", paramLabel = "A",
            description = "LoRA alpha; the adapter's output is scaled by alpha / rank (default: ${DEFAULT-VALUE}).")
    float loraAlpha;

    @Option(names = "--dense-hidden", defaultValue = "64", paramLabel = "N",
            description = "Width of the network's dense tower (default: ${DEFAULT-VALUE}).")
    int denseHidden;

    @Option(names = "--head-hidden", defaultValue = "64", paramLabel = "N",
            description = "Width of the network's head (default: ${DEFAULT-VALUE}).")
    int headHidden;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for context retrieval, XGBoost and test scoring (default: the cores, at most 2).")
    Integer threads;

    @Option(names = "--torch-threads", defaultValue = "1", paramLabel = "N",
            description = "libtorch intra-op threads for the network's training. More than the cores free makes "
                    + "libgomp spin: on a busy 2-core machine 2 threads were 10x slower than 1 (default: "
                    + "${DEFAULT-VALUE}).")
    int torchThreads;

    @Option(names = "--baseline-rounds", defaultValue = "300", paramLabel = "N",
            description = "Boosting rounds of the XGBoost baseline (default: ${DEFAULT-VALUE}).")
    int baselineRounds;

    @Option(names = "--bench-reps", defaultValue = "11", paramLabel = "N",
            description = "Latency repetitions for the card; ./vigil bench model measures more (default: ${DEFAULT-VALUE}).")
    int benchReps;

    @Option(names = "--k", defaultValue = "100", paramLabel = "N",
            description = "Analysts' daily card budget for CP@k (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--note", paramLabel = "TEXT",
            description = "A note for the model card (repeatable), e.g. why a target was missed.")
    List<String> notes = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public TrainCommand() {
    }

    /** Runs the command on its own (without the {@code ./vigil} launcher). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        TrainingRun.Options options = validate();
        Engines.configure(torchThreads);
        Engines.initOnnxRuntime();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            new TrainingRun(options, stdout, stderr, TrainingProgress.every5Seconds(stderr)).run();
            return 0;
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            stderr.println("train: " + e.getMessage());
            stderr.flush();
            return 1;
        }
    }

    TrainingRun.Options validate() {
        CommandLine cl = spec.commandLine();
        positive("--epochs", epochs, true);
        positive("--adapter-epochs", adapterEpochs, true);
        positive("--lr-decay-epochs", decayEpochs, true);
        positive("--adapter-days", adapterDays, false);
        positive("--test-days", testDays, false);
        positive("--batch-size", batchSize, false);
        positive("--lora-rank", loraRank, false);
        positive("--dense-hidden", denseHidden, false);
        positive("--head-hidden", headHidden, false);
        positive("--baseline-rounds", baselineRounds, false);
        positive("--bench-reps", benchReps, false);
        positive("--k", k, false);
        if (labelDelayDays < 0) {
            throw new CommandLine.ParameterException(cl, "--label-delay must not be negative, got " + labelDelayDays);
        }
        if (!(negativeSample > 0 && negativeSample <= 1)) {
            throw new CommandLine.ParameterException(cl, "--negative-sample must be in (0, 1], got " + negativeSample);
        }
        for (Object[] rate : new Object[][] {{"--learning-rate", learningRate},
                {"--adapter-learning-rate", adapterLearningRate}, {"--positive-weight", positiveWeight},
                {"--lora-alpha", loraAlpha}}) {
            float value = (Float) rate[1];
            if (!(value > 0) || Float.isInfinite(value)) {
                throw new CommandLine.ParameterException(cl, rate[0] + " must be positive, got " + value);
            }
        }
        if (!trainTo.isAfter(trainFrom)) {
            throw new CommandLine.ParameterException(cl, "--train-to (" + trainTo + ") must be after --train-from ("
                    + trainFrom + ")");
        }
        if (testFrom != null && testFrom.isBefore(trainTo)) {
            throw new CommandLine.ParameterException(cl, "--test-from (" + testFrom + ") must not be before "
                    + "--train-to (" + trainTo + ")");
        }
        if (testTo != null && !testTo.isAfter(testFrom != null ? testFrom : trainTo)) {
            throw new CommandLine.ParameterException(cl, "--test-to (" + testTo + ") must be after the test start");
        }
        positive("--torch-threads", torchThreads, false);
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(cl, "--threads must be at least 1, got " + threads);
        }
        if (!Files.isRegularFile(data)) {
            throw new CommandLine.ParameterException(cl, "--data " + data + " is not a file");
        }
        if (!force && holdsFiles(out)) {
            throw new CommandLine.ParameterException(cl, "--out " + out + " already holds files; pass --force to "
                    + "overwrite them");
        }
        int threadCount = threads != null ? threads : Math.min(2, Runtime.getRuntime().availableProcessors());
        return new TrainingRun.Options(data, out, trainFrom, trainTo, testFrom, testTo, testDays,
                Duration.ofDays(labelDelayDays), adapterDays, epochs, decayEpochs, adapterEpochs, batchSize, learningRate,
                adapterLearningRate, positiveWeight, negativeSample, seed != null ? seed : NetworkConfig.DEFAULT_SEED,
                loraRank, loraAlpha, denseHidden, headHidden, threadCount, torchThreads, baselineRounds, benchReps, k,
                notes);
    }

    private void positive(String option, int value, boolean zeroAllowed) {
        if (value < (zeroAllowed ? 0 : 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be at least "
                    + (zeroAllowed ? 0 : 1) + ", got " + value);
        }
    }

    private static boolean holdsFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }
}
