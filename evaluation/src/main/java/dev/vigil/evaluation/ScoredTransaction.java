package dev.vigil.evaluation;

import dev.vigil.schemas.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * One labeled transaction with the score a model gave it: the unit every metric here works on. The trainer and the
 * feedback loop build these in memory; the {@code evaluate} command builds them by joining a scores CSV to the
 * labeled transaction CSV.
 *
 * @param transactionId may be null in-process; only the command's join needs it
 * @param score         any finite number where higher means more suspicious (ranking metrics only use the order);
 *                      the scores CSV additionally requires [0, 1]
 * @param alerted       whether the scorer raised an alert at its operating threshold
 */
public record ScoredTransaction(
        String transactionId,
        String cardId,
        Instant eventTime,
        Money amount,
        boolean fraud,
        double score,
        boolean alerted) {

    public ScoredTransaction {
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(amount, "amount");
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score is NaN for transaction " + transactionId
                    + ": a model that cannot score a transaction must say so before evaluation, not rank it");
        }
    }
}
