package dev.vigil.model.features;

import java.util.Arrays;

/**
 * Everything about a payment that is known without retrieval: the sequence, the card's and the payment's dense
 * features (the retrieved slots still zero) and the case vector, which is what the similar-case search needs. The
 * serving path computes this, retrieves context with the case vector, then finishes with
 * {@link FeatureEncoder#encode(CardFeatures, dev.vigil.model.context.MerchantContext,
 * dev.vigil.model.context.SimilarCases)}; the trainer does the same in two phases. Arrays are owned by this object:
 * do not change them.
 */
public record CardFeatures(float[] seq, float[] seqMask, float[] dense, float[] caseVector) {

    @Override
    public boolean equals(Object o) {
        return o instanceof CardFeatures c && Arrays.equals(seq, c.seq) && Arrays.equals(seqMask, c.seqMask)
                && Arrays.equals(dense, c.dense) && Arrays.equals(caseVector, c.caseVector);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(seq) * 31 + Arrays.hashCode(dense);
    }

    @Override
    public String toString() {
        return "CardFeatures[dense " + Arrays.toString(dense) + ", caseVector " + Arrays.toString(caseVector) + "]";
    }
}
