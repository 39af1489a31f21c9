package dev.vigil.model.network;

/**
 * How a {@link NetworkTrainer} steps.
 *
 * @param phase which parameters train (base, or the adapter alone)
 * @param learningRate Adam's learning rate
 * @param positiveWeight weight of a fraud example in the loss relative to a genuine one
 * @param weightDecay L2 weight decay of Adam (0 = none)
 * @param clipGradient clip each gradient value to [-clip, clip]; a non-positive value disables clipping
 */
public record TrainingOptions(
        TrainingPhase phase, float learningRate, float positiveWeight, float weightDecay, float clipGradient) {

    public TrainingOptions {
        if (phase == null) {
            throw new IllegalArgumentException("phase is required");
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
        }
        if (!(positiveWeight > 0) || Float.isInfinite(positiveWeight)) {
            throw new IllegalArgumentException("positiveWeight must be positive and finite, got " + positiveWeight);
        }
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0 and finite, got " + weightDecay);
        }
    }

    /** Base training: lr 1e-3, plain BCE, no decay, no clipping. */
    public static TrainingOptions base() {
        return new TrainingOptions(TrainingPhase.BASE, 1e-3f, 1f, 0f, 0f);
    }

    /** Adapter tuning: lr 1e-3, plain BCE, no decay, no clipping. */
    public static TrainingOptions adapter() {
        return new TrainingOptions(TrainingPhase.ADAPTER, 1e-3f, 1f, 0f, 0f);
    }

    public TrainingOptions withLearningRate(float lr) {
        return new TrainingOptions(phase, lr, positiveWeight, weightDecay, clipGradient);
    }

    public TrainingOptions withPositiveWeight(float weight) {
        return new TrainingOptions(phase, learningRate, weight, weightDecay, clipGradient);
    }
}
