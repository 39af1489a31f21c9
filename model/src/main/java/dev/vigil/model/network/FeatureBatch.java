package dev.vigil.model.network;

/**
 * The network's inputs for {@code size} transactions, as flat row-major float arrays. The batch does not copy the
 * arrays: do not change them while a model reads them.
 *
 * @param size transactions in the batch (B)
 * @param seq [B, seqLen, seqFeatures]
 * @param seqMask [B, seqLen]: 1 = a real past transaction, 0 = padding (a card with no history is all zeros)
 * @param dense [B, denseFeatures]
 */
public record FeatureBatch(int size, float[] seq, float[] seqMask, float[] dense) {

    public FeatureBatch {
        if (size <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + size);
        }
        if (seq == null || seqMask == null || dense == null) {
            throw new IllegalArgumentException("seq, seqMask and dense are all required");
        }
    }

    /** Checks the array lengths against the network's shape; names the input that does not fit. */
    public FeatureBatch validate(NetworkConfig config) {
        check("seq", seq.length, (long) size * config.seqLen() * config.seqFeatures());
        check("seq_mask", seqMask.length, (long) size * config.seqLen());
        check("dense", dense.length, (long) size * config.denseFeatures());
        return this;
    }

    private void check(String input, int actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(input + " has " + actual + " values, a batch of " + size
                    + " needs " + expected);
        }
    }
}
