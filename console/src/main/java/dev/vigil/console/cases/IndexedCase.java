package dev.vigil.console.cases;

import java.time.Instant;
import java.util.List;

/**
 * One document of the cases index as the console reads it; {@code label} is fraud, genuine or null (unlabeled),
 * {@code score} is the similarity for a similar-case answer (NaN otherwise: the index holds no model score),
 * {@code reasons} the attribution groups that raised the case's score (empty for a case that was not explained).
 */
public record IndexedCase(String transactionId, String cardId, String merchantId, Instant eventTime, long amountMinor,
                          String currency, String label, double score, List<String> reasons) {

    public IndexedCase {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
