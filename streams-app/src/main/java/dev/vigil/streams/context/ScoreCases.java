package dev.vigil.streams.context;

import dev.vigil.model.context.Case;
import dev.vigil.schemas.avro.FraudScore;
import java.util.List;

/** What a score on {@code fraud.scores} is to the context: a case with its vector, for the index and the local context. */
public final class ScoreCases {

    private ScoreCases() {
    }

    /**
     * The case of a score: a {@code case_vector} of the spec's dimension is the case's vector; an empty one (FraudScore
     * v1 writers) is a zero vector (the case counts for its merchant and is never anyone's neighbour); any other
     * length is an IllegalArgumentException: that vector was made by another feature spec.
     */
    public static Case of(FraudScore score, int dimension) {
        List<Float> stored = score.getCaseVector();
        float[] vector = new float[dimension];
        if (!stored.isEmpty()) {
            if (stored.size() != dimension) {
                throw new IllegalArgumentException("case_vector of transaction " + score.getTransactionId() + " has "
                        + stored.size() + " values, the index's feature spec has " + dimension
                        + ": written with another feature spec");
            }
            for (int i = 0; i < dimension; i++) {
                vector[i] = stored.get(i);
            }
        }
        return new Case(score.getTransactionId(), score.getCardId(), score.getMerchantId(), score.getEventTime(),
                score.getAmountMinor(), score.getCurrency(), vector);
    }
}
