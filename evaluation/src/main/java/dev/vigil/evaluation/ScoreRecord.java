package dev.vigil.evaluation;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the scores CSV: what a model said about one transaction.
 *
 * @param score          P(fraud), in [0, 1]
 * @param alerted        whether the scorer raised an alert
 * @param modelVersion   the base model that scored it; null when unknown
 * @param adapterVersion the LoRA adapter that scored it; null when unknown
 */
public record ScoreRecord(
        String transactionId,
        Instant eventTime,
        String cardId,
        double score,
        boolean alerted,
        String modelVersion,
        String adapterVersion) {

    public ScoreRecord {
        Objects.requireNonNull(transactionId, "transaction_id");
        Objects.requireNonNull(eventTime, "event_time");
        Objects.requireNonNull(cardId, "card_id");
        if (!(score >= 0.0 && score <= 1.0)) { // also refuses NaN
            throw new IllegalArgumentException("score must be a number in [0, 1]: " + score);
        }
    }
}
