package dev.vigil.trainer.fitting;

import dev.vigil.model.network.NetworkTrainer;
import dev.vigil.model.network.TrainingBatch;
import dev.vigil.trainer.examples.ExampleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Epochs of mini-batch steps over chosen examples of an {@link ExampleSet}, for either phase (the
 * {@link NetworkTrainer} decides which parameters move). Each epoch visits the examples in a fresh order drawn
 * from {@code seed}, so a run is reproducible; the last batch of an epoch may be smaller.
 *
 * <p>Learning rate: constant, then halved at each of the last {@code decayEpochs} epochs (never the first) (a step decay: the last
 * epochs settle instead of bouncing at the full rate). model/'s trainer has a fixed rate, so a new trainer (with
 * fresh Adam moments) is opened whenever the rate changes.
 *
 * <p>Loss weights: the examples' own weights (e.g. {@code 1 / rate} on subsampled genuine transactions) scaled to
 * a mean of 1 over the chosen examples, so that a batch's weighted loss estimates the mean loss over the data the
 * examples stand for.
 */
public final class NetworkFitting {

    /** Opens a trainer for the phase at a learning rate. */
    @FunctionalInterface
    public interface Trainers {
        NetworkTrainer open(float learningRate);
    }

    /**
     * @param epochs passes over the examples
     * @param batchSize examples per step
     * @param learningRate the rate of the first epochs
     * @param decayEpochs the last epochs, each at half the rate of the one before
     * @param seed seed of the shuffles
     * @param weighted use the examples' weights (normalised to mean 1); false: every example weighs 1
     */
    public record Options(int epochs, int batchSize, float learningRate, int decayEpochs, long seed,
            boolean weighted) {
        public Options {
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            if (decayEpochs < 0) {
                throw new IllegalArgumentException("decay epochs must be >= 0, got " + decayEpochs);
            }
        }

        /** The learning rate of epoch {@code epoch} (1-based); the first epoch always runs at the full rate. */
        public float learningRate(int epoch) {
            int decayed = epoch - (epochs - Math.min(decayEpochs, Math.max(0, epochs - 1)));
            return decayed <= 0 ? learningRate : (float) (learningRate / Math.pow(2, decayed));
        }
    }

    /**
     * What a phase did.
     *
     * @param epochLosses mean training loss of each epoch (weighted, before each step)
     * @param learningRates the learning rate of each epoch
     * @param examples examples per epoch
     * @param steps optimisation steps in all
     * @param seconds wall time
     */
    public record Report(List<Double> epochLosses, List<Float> learningRates, int examples, long steps,
            double seconds) {
        public Report {
            epochLosses = List.copyOf(epochLosses);
            learningRates = List.copyOf(learningRates);
        }

        public double examplesPerSecond() {
            return seconds > 0 ? (double) examples * epochLosses.size() / seconds : 0;
        }
    }

    private NetworkFitting() {}

    public static Report fit(String phase, Trainers trainers, ExampleSet examples, int[] chosen, Options options,
            TrainingProgress progress) {
        long started = System.nanoTime();
        int n = chosen.length;
        List<Double> losses = new ArrayList<>();
        List<Float> rates = new ArrayList<>();
        if (n == 0 || options.epochs() == 0) {
            return new Report(losses, rates, n, 0, 0);
        }
        float norm = 1f;
        if (options.weighted()) {
            double sum = 0;
            for (int index : chosen) {
                sum += examples.weight(index);
            }
            norm = (float) (n / sum);
        }

        int steps = (n + options.batchSize() - 1) / options.batchSize();
        progress.start(phase, options.epochs(), steps, n);
        SplittableRandom random = new SplittableRandom(options.seed());
        int[] order = chosen.clone();
        long stepCount = 0;
        NetworkTrainer trainer = null;
        float currentRate = Float.NaN;
        try {
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                float rate = options.learningRate(epoch);
                if (trainer == null || rate != currentRate) {
                    if (trainer != null) {
                        trainer.close();
                    }
                    trainer = trainers.open(rate);
                    currentRate = rate;
                }
                rates.add(rate);
                shuffle(order, random);
                double lossSum = 0;
                int seen = 0;
                for (int step = 0; step < steps; step++) {
                    int from = step * options.batchSize();
                    int to = Math.min(n, from + options.batchSize());
                    float[] weights = null;
                    if (options.weighted()) {
                        weights = examples.weights(order, from, to);
                        for (int i = 0; i < weights.length; i++) {
                            weights[i] *= norm;
                        }
                    }
                    TrainingBatch batch = new TrainingBatch(examples.batch(order, from, to),
                            examples.labels(order, from, to), weights);
                    float loss = trainer.step(batch);
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException(phase + " training diverged: loss " + loss + " at epoch "
                                + epoch + ", step " + (step + 1) + "; try a smaller learning rate");
                    }
                    lossSum += (double) loss * (to - from);
                    seen += to - from;
                    stepCount++;
                    progress.step(epoch, step + 1, to - from, lossSum / seen);
                }
                losses.add(lossSum / seen);
            }
        } finally {
            if (trainer != null) {
                trainer.close();
            }
        }
        return new Report(losses, rates, n, stepCount, (System.nanoTime() - started) / 1e9);
    }

    /** Fisher-Yates with the given generator. */
    static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
