package dev.vigil.feedback.labels;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Instant;
import java.util.Objects;

/**
 * A logged decision with the label that came back for it, or, for a matured negative ({@link MaturedNegatives}), the
 * genuine label its silence implies.
 *
 * @param labelTime when the label became known (the review, the chargeback, or for a matured negative the end of its
 *                  chargeback window): holdout windows are cut on it
 * @param labelPartition partition of {@code fraud.labels} the label was read from (-1 for a matured negative)
 * @param labelOffset offset of the label there (orders labels with the same time)
 * @param maturedRate 0 for a label that came back; for a matured negative, the rate it was sampled at among the
 *                    unlabeled matured decisions (in (0, 1]), so that it stands for 1 / maturedRate of them
 */
public record LabeledDecision(LoggedDecision decision, boolean fraud, LabelSource source, Instant labelTime,
        int labelPartition, long labelOffset, double maturedRate) {

    public LabeledDecision {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(labelTime, "labelTime");
        source = source == null ? LabelSource.UNKNOWN : source;
        if (!(maturedRate >= 0 && maturedRate <= 1)) {
            throw new IllegalArgumentException("matured sample rate of " + decision.transactionId()
                    + " must be in [0, 1]: " + maturedRate);
        }
        if (maturedRate > 0 && fraud) {
            throw new IllegalArgumentException("a matured negative is genuine: " + decision.transactionId());
        }
    }

    /** A label that came back on {@code fraud.labels}. */
    public LabeledDecision(LoggedDecision decision, boolean fraud, LabelSource source, Instant labelTime,
            int labelPartition, long labelOffset) {
        this(decision, fraud, source, labelTime, labelPartition, labelOffset, 0);
    }

    /** A decision whose chargeback window closed at {@code maturedAt} without a label, sampled at {@code rate}. */
    public static LabeledDecision maturedNegative(LoggedDecision decision, Instant maturedAt, double rate) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("matured sample rate must be positive: " + rate);
        }
        return new LabeledDecision(decision, false, LabelSource.UNKNOWN, maturedAt, -1, 0, rate);
    }

    public String transactionId() {
        return decision.transactionId();
    }

    /** True for a genuine label implied by a closed chargeback window rather than reported. */
    public boolean matured() {
        return maturedRate > 0;
    }

    /** "analyst", "chargeback" or "matured" (for reports). */
    public String origin() {
        return matured() ? "matured" : source.name().toLowerCase(java.util.Locale.ROOT);
    }
}
