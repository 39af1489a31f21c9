package dev.vigil.feedback.labels;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Instant;
import java.util.Objects;

/**
 * A logged decision with the label that came back for it.
 *
 * @param labelTime when the label became known (the review or the chargeback): holdout windows are cut on it
 * @param labelPartition partition of {@code fraud.labels} the label was read from
 * @param labelOffset offset of the label there (orders labels with the same time)
 */
public record LabeledDecision(LoggedDecision decision, boolean fraud, LabelSource source, Instant labelTime,
        int labelPartition, long labelOffset) {

    public LabeledDecision {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(labelTime, "labelTime");
        source = source == null ? LabelSource.UNKNOWN : source;
    }

    public String transactionId() {
        return decision.transactionId();
    }
}
