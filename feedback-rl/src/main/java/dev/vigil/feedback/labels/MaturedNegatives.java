package dev.vigil.feedback.labels;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.schemas.cli.Setting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Genuine labels the loop infers instead of waiting for: a decision whose chargeback window has closed (event time +
 * {@code labelDelay} at or before the cycle's clock) and that has no label is genuine, the Handbook's convention and
 * the way the trainer builds its labels. Without them the labeled sample is nearly all frauds (analysts see the
 * alerts; chargebacks are frauds only) and the passes, almost all genuine, are never seen by the update or the gate.
 *
 * <p>Only a deterministic sample is kept, by a hash of the transaction id at {@code rate}, so the cost stays bounded
 * and the same decision is in or out at every cycle and after a restart. Which decisions are sampled does not depend
 * on the policy, so a matured negative's propensity is 1: it weighs 1 / {@code rate} (the unlabeled matured decisions
 * it stands for), not 1 / p.
 *
 * @param rate       share of the unlabeled matured decisions used, in (0, 1] (default 0.1)
 * @param labelDelay how long after a payment its chargeback may still come (default 7 days, as the trainer assumes)
 */
public record MaturedNegatives(double rate, Duration labelDelay) {

    public static final Setting<Double> RATE = Setting.between("matured-negative-rate", 0.1, 0, true, 1, false,
            "Share of the unlabeled decisions past their chargeback window that train and gate as genuine (weight "
                    + "1/R; sampled by transaction id).");
    public static final Setting<Duration> LABEL_DELAY = Setting.positiveDuration("label-delay", Duration.ofDays(7),
            "How long after a payment its chargeback may still come (ISO-8601, e.g. P7D); after it, no label means "
                    + "genuine.");

    public MaturedNegatives {
        RATE.check(rate);
        LABEL_DELAY.check(labelDelay);
    }

    public static MaturedNegatives defaults() {
        return new MaturedNegatives(RATE.defaultValue(), LABEL_DELAY.defaultValue());
    }

    /** Whether the transaction is in the sample: a fixed function of its id and the rate. */
    public boolean sampled(String transactionId) {
        return unitHash(transactionId) < rate;
    }

    /** When the decision's chargeback window closes: from then on, no label means genuine. */
    public Instant maturesAt(LoggedDecision decision) {
        return decision.eventTime().plus(labelDelay);
    }

    /** Whether the decision's chargeback window has closed at {@code now}. */
    public boolean mature(LoggedDecision decision, Instant now) {
        return !maturesAt(decision).isAfter(now);
    }

    /**
     * The matured negatives among {@code decisions} at {@code now}: sampled, mature, not labeled, and not older in
     * event time than {@code horizon} (a label older than the label window may have been dropped from it, so a
     * decision that old cannot be told unlabeled). Each is genuine, labeled at its maturity, weighted 1 / rate.
     */
    public List<LabeledDecision> select(Iterable<LoggedDecision> decisions, Predicate<String> labeled, Instant now,
            Instant horizon) {
        List<LabeledDecision> out = new ArrayList<>();
        for (LoggedDecision d : decisions) {
            if (mature(d, now) && !d.eventTime().isBefore(horizon) && sampled(d.transactionId())
                    && !labeled.test(d.transactionId())) {
                out.add(LabeledDecision.maturedNegative(d, maturesAt(d), rate));
            }
        }
        return out;
    }

    /** A uniform number in [0, 1) from the id: String.hashCode (fixed by the language) through SplitMix64's mix. */
    static double unitHash(String transactionId) {
        long z = transactionId.hashCode() * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
