package dev.vigil.console.cases;

import java.time.Instant;

/**
 * A case search: each field null when not filtered on. {@code label} is fraud, genuine or unlabeled; {@code text} is
 * free text over the indexed reasons (every word must match; {@code word*} matches a prefix).
 */
public record SearchFilter(String cardId, String merchantId, Instant from, Instant to, String label, String text,
                           int limit) {
    public SearchFilter {
        if (label != null && !label.equals("fraud") && !label.equals("genuine") && !label.equals("unlabeled")) {
            throw new IllegalArgumentException("label must be fraud, genuine or unlabeled");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from is after to");
        }
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000");
        }
    }
}
