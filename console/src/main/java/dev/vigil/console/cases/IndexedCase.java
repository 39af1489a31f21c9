package dev.vigil.console.cases;

import java.time.Instant;

/**
 * One document of the cases index as the console reads it; {@code label} is fraud, genuine or null (unlabeled),
 * {@code score} is the similarity for a similar-case answer (NaN otherwise: the index holds no model score).
 */
public record IndexedCase(String transactionId, String cardId, String merchantId, Instant eventTime, long amountMinor,
                          String currency, String label, double score) {
}
