package dev.vigil.console.cases;

import java.time.Instant;

/**
 * A case search: each field null when not filtered on. {@code label} is fraud, genuine or unlabeled. The free text
 * over the reasons is not here: the index holds no reasons (see the console's README), the console filters on them.
 */
public record SearchFilter(String cardId, String merchantId, Instant from, Instant to, String label, int limit) {
    public SearchFilter {
        if (label != null && !label.equals("fraud") && !label.equals("genuine") && !label.equals("unlabeled")) {
            throw new IllegalArgumentException("label must be fraud, genuine or unlabeled");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from is after to");
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000");
        }
    }
}
