package dev.vigil.feedback.decisions;

import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.schemas.Money;
import dev.vigil.schemas.avro.FraudScore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision of the scorer as logged on {@code fraud.scores}: what the policy saw (the encoded model inputs), what
 * it did (alert, review or pass) and the probability that the transaction was put in front of an analyst. The
 * inputs stay as the logged little-endian bytes until a batch needs them (1.8 kB each for the standard spec).
 *
 * @param reviewProbability 1 for an alert, the exploration probability for an exploration review, 0 for a pass
 * @param modelVersion      the base-model id (hash prefix) the inputs were encoded for
 * @param modelInputs       seq, seq_mask and dense as float32 little-endian ({@link ModelInputs#toLittleEndianBytes})
 */
public record LoggedDecision(String transactionId, String cardId, Instant eventTime, long amountMinor,
        String currency, double score, String decision, double reviewProbability, String modelVersion,
        String adapterVersion, byte[] modelInputs) {

    public LoggedDecision {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(eventTime, "eventTime");
        if (!(reviewProbability >= 0 && reviewProbability <= 1)) {
            throw new IllegalArgumentException("review probability of " + transactionId + " must be in [0, 1]: "
                    + reviewProbability);
        }
    }

    /** The decision carried by a score record; the inputs may be absent (null) in records of old writers. */
    public static LoggedDecision from(FraudScore score) {
        ByteBuffer inputs = score.getModelInputs();
        byte[] bytes = null;
        if (inputs != null) {
            bytes = new byte[inputs.remaining()];
            inputs.duplicate().get(bytes);
        }
        return new LoggedDecision(score.getTransactionId(), score.getCardId(), score.getEventTime(),
                score.getAmountMinor(), score.getCurrency(), score.getScore(), score.getDecision(),
                score.getReviewProbability(), score.getModelVersion(), score.getAdapterVersion(), bytes);
    }

    /** True when the policy sent the transaction to an analyst (an alert, a review of the budget, an exploration). */
    public boolean reviewed() {
        return reviewProbability > 0;
    }

    /** The amount in major units (for an amount-valued reward). */
    public double amountMajor() {
        return new Money(amountMinor, currency == null || currency.isBlank() ? Money.DEFAULT_CURRENCY : currency)
                .toMajorUnits();
    }

    /** True when the logged inputs have exactly the size a network of {@code config} takes. */
    public boolean fits(NetworkConfig config) {
        return modelInputs != null && modelInputs.length == Float.BYTES * floatsPerRow(config);
    }

    /** The logged inputs, decoded for a network of {@code config}. */
    public ModelInputs inputs(NetworkConfig config) {
        if (!fits(config)) {
            throw new IllegalArgumentException("decision " + transactionId + " has "
                    + (modelInputs == null ? "no" : modelInputs.length + " bytes of") + " model inputs, the network needs "
                    + Float.BYTES * floatsPerRow(config));
        }
        FloatBuffer in = ByteBuffer.wrap(modelInputs).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] seq = new float[config.seqLen() * config.seqFeatures()];
        float[] mask = new float[config.seqLen()];
        float[] dense = new float[config.denseFeatures()];
        in.get(seq).get(mask).get(dense);
        return new ModelInputs(seq, mask, dense);
    }

    static int floatsPerRow(NetworkConfig config) {
        return config.seqLen() * config.seqFeatures() + config.seqLen() + config.denseFeatures();
    }
}
