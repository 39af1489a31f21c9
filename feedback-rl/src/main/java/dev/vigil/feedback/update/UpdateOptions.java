package dev.vigil.feedback.update;

import dev.vigil.schemas.cli.Setting;

/**
 * How one adapter update runs.
 *
 * @param epochs         passes over the training labels (default 3)
 * @param batchSize      examples per Adam step (default 64)
 * @param learningRate   Adam's learning rate, also the step of the proximal map (default 1e-3)
 * @param proximalLambda lambda of the proximal term lambda * ||theta - theta_live||^2 (default 1; 0 = none). With
 *                       Adam's per-coordinate step near the learning rate, a coordinate settles at most about
 *                       1 / (2 lambda) from the live adapter
 * @param seed           seed of the example order; the same labels, live adapter and seed give the same candidate
 */
public record UpdateOptions(int epochs, int batchSize, float learningRate, double proximalLambda, long seed) {

    public static final Setting<Integer> EPOCHS = Setting.atLeast("epochs", 3, 1, "Passes over the training labels.");
    public static final Setting<Integer> BATCH_SIZE = Setting.atLeast("batch-size", 64, 1, "Labels per step.");
    public static final Setting<Float> LEARNING_RATE = Setting.of("learning-rate", 1e-3f, "Adam's step size.")
            .must("positive and finite", v -> v != null && v > 0 && Float.isFinite(v));
    public static final Setting<Double> PROXIMAL_LAMBDA = Setting.finiteFrom("proximal-lambda", 1.0, 0, false,
            "lambda of lambda*||theta - theta_live||^2.");
    public static final Setting<Long> SEED = Setting.of("seed", 7L, "Seed of the update's shuffles.");

    public UpdateOptions {
        EPOCHS.check(epochs);
        BATCH_SIZE.check(batchSize);
        LEARNING_RATE.check(learningRate);
        PROXIMAL_LAMBDA.check(proximalLambda);
    }

    public static UpdateOptions defaults() {
        return new UpdateOptions(EPOCHS.defaultValue(), BATCH_SIZE.defaultValue(), LEARNING_RATE.defaultValue(),
                PROXIMAL_LAMBDA.defaultValue(), SEED.defaultValue());
    }

    public UpdateOptions withProximalLambda(double lambda) {
        return new UpdateOptions(epochs, batchSize, learningRate, lambda, seed);
    }

    public UpdateOptions withEpochs(int n) {
        return new UpdateOptions(n, batchSize, learningRate, proximalLambda, seed);
    }

    public UpdateOptions withLearningRate(float lr) {
        return new UpdateOptions(epochs, batchSize, lr, proximalLambda, seed);
    }

    /** The factor the proximal map multiplies the distance to the live adapter by after each step. */
    public double proximalShrink() {
        return 1.0 / (1.0 + 2.0 * learningRate * proximalLambda);
    }
}
