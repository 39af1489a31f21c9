package dev.vigil.trainer.examples;

import dev.vigil.schemas.digest.StableDraw;

/**
 * Keeps every fraud and a seeded share of the genuine transactions for base training, and says how to weight the
 * kept ones so that the loss is still the full data's: a kept genuine transaction stands for {@code 1 / rate} of
 * them, so the model's probabilities stay calibrated to the real fraud rate and the loss printed during training
 * is comparable across sampling rates.
 *
 * <p>Whether a transaction is kept is a pure function of (seed, transaction id): the same run keeps the same
 * transactions whatever order the file has.
 *
 * @param rate share of genuine transactions kept, in (0, 1]
 * @param seed seed of the draw
 */
public record NegativeSampling(double rate, long seed) {

    public NegativeSampling {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("--negative-sample must be in (0, 1], got " + rate);
        }
    }

    /** Keep everything, weight 1. */
    public static NegativeSampling none(long seed) {
        return new NegativeSampling(1.0, seed);
    }

    /** Whether the transaction goes into the base training set. */
    public boolean keep(String transactionId, boolean fraud) {
        if (fraud || rate >= 1.0) {
            return true;
        }
        return uniform(seed, transactionId) < rate;
    }

    /**
     * The loss weight of a kept example before normalisation: 1 for a fraud, {@code 1 / rate} for a genuine one.
     * The trainer scales the weights of a training set to a mean of 1 (see {@code NetworkFitting}), so that the
     * weighted mean loss of a batch estimates the mean loss over every transaction of the window.
     */
    public float weight(boolean fraud) {
        return (float) (fraud ? 1.0 : 1.0 / rate);
    }

    /** A uniform number in [0, 1) from (seed, id) ({@link StableDraw}). */
    static double uniform(long seed, String id) {
        return StableDraw.uniform(seed, id);
    }
}
