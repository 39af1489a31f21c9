package dev.vigil.simulator.analysts;

import dev.vigil.schemas.avro.FraudAlert;

/**
 * An alert as the review desk holds it: what ranking and labeling need, and where it was read from (so the consumer
 * offset is committed only past alerts that are no longer waiting).
 *
 * @param exploration the scorer drew this payment for exploration (decision "explore", review probability below 1),
 *                    not for its risk
 */
public record AlertTicket(String transactionId, String cardId, long eventTimeMillis, double score,
        boolean exploration, int partition, long offset) {

    public static final String EXPLORATION_DECISION = "explore";

    public static AlertTicket of(FraudAlert alert, int partition, long offset) {
        return new AlertTicket(alert.getTransactionId(), alert.getCardId(), alert.getEventTime().toEpochMilli(),
                alert.getScore(), EXPLORATION_DECISION.equals(alert.getDecision()), partition, offset);
    }
}
