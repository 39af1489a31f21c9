package dev.vigil.cli.demo;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.trainer.TrainingRun;
import dev.vigil.trainer.card.ModelCard;
import dev.vigil.trainer.fitting.TrainingProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Trains the demo's base model on the history days only (the wave starts on the first live day, so the base never
 * sees it), with the trainer's own {@link TrainingRun}: the same code as {@code ./vigil train}. Sizes are chosen to
 * take a couple of minutes on two cores: the first 3 days only build card histories, the base trains on the days up
 * to 4 days before the live ones and is tested on those last 4 (the model card's metrics), fewer XGBoost rounds
 * and latency repetitions than the command's defaults. The trainer's own lines go to {@code train.log}.
 */
final class BaseModelTraining {

    private BaseModelTraining() {}

    /** True when {@code dir} holds what the demo runs: the serving files, and the base weights the loop tunes on. */
    static boolean present(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        ModelDirectory model = new ModelDirectory(dir);
        return java.util.stream.Stream.concat(ModelDirectory.SERVING_FILES.stream(),
                        java.util.stream.Stream.of(ModelDirectory.BASE_WEIGHTS, ModelDirectory.NETWORK_CONFIG))
                .allMatch(name -> Files.isRegularFile(model.file(name)));
    }

    static ModelCard train(DemoSettings settings, Path csv, Path log, TrainingProgressBar bar) throws IOException {
        Instant start = settings.historyStart();
        Instant trainFrom = start.plus(3, ChronoUnit.DAYS);
        Instant testTo = settings.liveStart();
        Instant trainTo = testTo.minus(4, ChronoUnit.DAYS);
        Path out = settings.modelDir();
        Files.createDirectories(out);
        TrainingRun.Options options = new TrainingRun.Options(csv, out, trainFrom, trainTo, trainTo, testTo, 4,
                DemoSettings.LABEL_DELAY, 7, settings.trainEpochs(), Math.min(2, settings.trainEpochs()), 1, 256,
                0.002f, 0.001f, 1f, 0.2, NetworkConfig.DEFAULT_SEED, 8, 16f, 64, 64,
                Math.min(2, Runtime.getRuntime().availableProcessors()), 1, 100, 3, settings.k(),
                List.of("trained by ./vigil demo on its simulated history (days before the live stream and its wave)"));
        try (PrintWriter trainLog = new PrintWriter(Files.newBufferedWriter(log))) {
            PrintWriter progressOut = new PrintWriter(bar, true);
            TrainingProgress progress = new TrainingProgress(progressOut, System::nanoTime,
                    Duration.ofMillis(500).toNanos());
            return new TrainingRun(options, trainLog, trainLog, progress).run();
        } finally {
            bar.finish();
        }
    }
}
