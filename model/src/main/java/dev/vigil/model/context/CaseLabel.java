package dev.vigil.model.context;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A label on one case, as known from {@code labelTime} on: an analyst's review or a chargeback.
 *
 * <p>A case carries one label at a time. A later label (by label time; on a tie, the one recorded last) replaces an
 * earlier one, in {@link HistoryContextSource} and in the OpenSearch cases index alike, so both answer the same. The
 * training history holds only chargebacks (one fraud label per case), where this never matters.
 *
 * @param labelTime when the label became known (the review or the chargeback), not when the payment happened
 */
public record CaseLabel(String transactionId, boolean isFraud, Instant labelTime, LabelSource source) {

    public CaseLabel {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(labelTime, "labelTime");
        source = source == null ? LabelSource.UNKNOWN : source;
    }

    /** A chargeback: fraud, known {@code delay} after the payment (the Handbook's label delay is 7 days). */
    public static CaseLabel chargeback(String transactionId, Instant eventTime, Duration delay) {
        return new CaseLabel(transactionId, true, eventTime.plus(delay), LabelSource.CHARGEBACK);
    }

    /** The label of a {@code fraud.labels} record. */
    public static CaseLabel of(FraudLabel label) {
        return new CaseLabel(label.getTransactionId(), label.getIsFraud(), label.getLabeledTime(), label.getSource());
    }
}
