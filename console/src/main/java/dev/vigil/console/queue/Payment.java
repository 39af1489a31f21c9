package dev.vigil.console.queue;

import dev.vigil.schemas.Money;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One scored payment as the console shows it: what the scorer decided and why. {@code reasons} are the top inputs
 * that raised the score, as {@code feature (+0.123)}.
 */
public record Payment(String transactionId, String cardId, String merchantId, Instant eventTime, long amountMinor,
                      String currency, double score, String decision, double reviewProbability,
                      String adapterVersion, List<String> reasons) {

    public Payment {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(eventTime, "eventTime");
        reasons = List.copyOf(reasons);
    }

    /** "12.34 EUR"; the minor units and the code when the currency is not one {@link Money} knows. */
    public String amountText() {
        try {
            return new Money(amountMinor, currency).toDecimalString() + " " + currency;
        } catch (IllegalArgumentException e) {
            return amountMinor + " (minor units) " + currency;
        }
    }

    public boolean sentToReview() {
        return "alert".equals(decision) || "review".equals(decision) || "explore".equals(decision);
    }
}
