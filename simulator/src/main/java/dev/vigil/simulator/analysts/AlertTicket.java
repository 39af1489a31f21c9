package dev.vigil.simulator.analysts;

import dev.vigil.schemas.avro.FraudAlert;

/**
 * An alert as the review desk holds it: what ranking and labeling need, and where it was read from (so the consumer
 * offset is committed only past alerts that are no longer waiting).
 *
 * @param exploration the scorer asked for this review as an exploration slot (decision "review"), not an alert
 */
public record AlertTicket(String transactionId, String cardId, long eventTimeMillis, double score,
        boolean exploration, int partition, long offset) {

    public static final String EXPLORATION_DECISION = "review";

    public static AlertTicket of(FraudAlert alert, int partition, long offset) {
        return new AlertTicket(alert.getTransactionId(), alert.getCardId(), alert.getEventTime().toEpochMilli(),
                alert.getScore(), EXPLORATION_DECISION.equals(alert.getDecision()), partition, offset);
    }
}
