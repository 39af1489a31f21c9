package dev.vigil.model.context;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A scored transaction as the context sources see it: who paid whom, when, how much, and its case vector. Its label, if
 * one ever arrives, is a separate {@link CaseLabel}: a case is recorded when it is scored and labeled days later.
 *
 * <p>The case vector is {@code FeatureEncoder.caseVector}: a fixed encoding of the payment and its card's history that
 * needs neither retrieval nor the model (see model/FEATURES.md, "The case vector"). A vector of zero norm has no
 * direction: such a case is kept (it counts for its merchant) but is never anyone's neighbour.
 *
 * @param eventTime when the payment happened
 * @param amountMinor amount in the currency's minor units
 * @param vector the case vector; not copied, do not change it after recording
 */
public record Case(String transactionId, String cardId, String merchantId, Instant eventTime, long amountMinor,
                   String currency, float[] vector) {

    public Case {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(cardId, "cardId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(vector, "vector");
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("case " + transactionId + " has a non-finite vector component");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Case c && transactionId.equals(c.transactionId) && cardId.equals(c.cardId)
                && merchantId.equals(c.merchantId) && eventTime.equals(c.eventTime) && amountMinor == c.amountMinor
                && currency.equals(c.currency) && Arrays.equals(vector, c.vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transactionId, eventTime, amountMinor) * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "Case[" + transactionId + ", card " + cardId + ", merchant " + merchantId + ", " + eventTime + ", "
                + amountMinor + " " + currency + ", vector " + Arrays.toString(vector) + "]";
    }
}
