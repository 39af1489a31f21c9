package dev.vigil.feedback.update;

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

    public UpdateOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("feedback.update.epochs must be at least 1: " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("feedback.update.batch-size must be at least 1: " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("feedback.update.learning-rate must be positive and finite: "
                    + learningRate);
        }
        if (!(proximalLambda >= 0) || Double.isInfinite(proximalLambda)) {
            throw new IllegalArgumentException("feedback.update.proximal-lambda must be >= 0 and finite: "
                    + proximalLambda);
        }
    }

    public static UpdateOptions defaults() {
        return new UpdateOptions(3, 64, 1e-3f, 1.0, 7L);
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
