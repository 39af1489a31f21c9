package dev.vigil.feedback.labels;

import dev.vigil.feedback.decisions.DecisionLog;
import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.schemas.avro.FraudLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins labels to the decisions in a {@link DecisionLog}. A label whose transaction has no logged decision is not an
 * error: it is counted ({@link #unknown()}), logged (the first few, then every 1,000th) and kept for
 * {@code pendingRetention} of label time (at most {@code pendingCapacity} of them) in case its score is still on its
 * way, e.g. when the scores topic is read behind the labels after a restart. When the score arrives,
 * {@link #onDecision} returns the late join ({@link #lateJoined()}); a pending label that ages out is counted as
 * {@link #expired()}.
 *
 * <p>Label time is the loop's clock (the window's retention, the matured negatives, the holdout all count from the
 * newest label), so a label timed far ahead of the stream would move that clock and empty the window for every later
 * cycle. A label whose time is more than {@link #MAX_LEAD} after the newest decision's event time is therefore
 * refused ({@link #refused()}), logged, and neither joined nor kept. Every producer of labels times them on the
 * stream's clock: the replay and the simulated analysts as their stream reaches the label, the console on the newest
 * payment time it has read.
 */
public final class LabelJoin {

    private static final Logger log = LoggerFactory.getLogger(LabelJoin.class);
    /** How far after the newest decision's event time a label may be timed (a review delay, clock skew). */
    public static final Duration MAX_LEAD = Duration.ofDays(7);

    private final DecisionLog decisions;
    private final Duration pendingRetention;
    private final int pendingCapacity;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private Instant newestLabel = Instant.EPOCH;
    private long joined;
    private long unknown;
    private long lateJoined;
    private long expired;
    private long refused;

    private record Pending(FraudLabel label, int partition, long offset) {}

    public LabelJoin(DecisionLog decisions, Duration pendingRetention, int pendingCapacity) {
        this.decisions = decisions;
        this.pendingRetention = pendingRetention;
        this.pendingCapacity = pendingCapacity;
    }

    /**
     * The joined label, or empty when its transaction is unknown (then counted and kept pending) or the label is timed
     * too far ahead of the stream (then refused).
     */
    public Optional<LabeledDecision> onLabel(FraudLabel label, int partition, long offset) {
        Instant labelTime = label.getLabeledTime();
        if (labelTime != null && decisions.size() > 0 && labelTime.isAfter(decisions.newest().plus(MAX_LEAD))) {
            refused++;
            if (refused <= 5 || refused % 1000 == 0) {
                log.warn("label for transaction {} at {}-{} refused: labeled at {}, more than {} after the newest "
                        + "decision ({}); {} refused so far", label.getTransactionId(), partition, offset, labelTime,
                        MAX_LEAD, decisions.newest(), refused);
            }
            return Optional.empty();
        }
        if (labelTime != null && labelTime.isAfter(newestLabel)) {
            newestLabel = labelTime;
        }
        Optional<LoggedDecision> decision = decisions.find(label.getTransactionId());
        if (decision.isPresent()) {
            joined++;
            return Optional.of(join(decision.get(), label, partition, offset));
        }
        unknown++;
        if (unknown <= 5 || unknown % 1000 == 0) {
            log.warn("label for unknown transaction {} ({}): no logged decision; {} unknown so far, kept {} in case "
                    + "its score arrives", label.getTransactionId(), label.getSource(), unknown, pendingRetention);
        }
        pending.remove(label.getTransactionId());
        pending.put(label.getTransactionId(), new Pending(label, partition, offset));
        evictPending();
        return Optional.empty();
    }

    /** Labels that were waiting for this decision, now joined. */
    public List<LabeledDecision> onDecision(LoggedDecision decision) {
        Pending waiting = pending.remove(decision.transactionId());
        if (waiting == null) {
            return List.of();
        }
        lateJoined++;
        joined++;
        List<LabeledDecision> out = new ArrayList<>(1);
        out.add(join(decision, waiting.label(), waiting.partition(), waiting.offset()));
        return out;
    }

    /** Labels joined to a decision (on arrival or late). */
    public long joined() {
        return joined;
    }

    /** Labels that found no decision on arrival. */
    public long unknown() {
        return unknown;
    }

    /** Of the unknown labels, those whose decision arrived later. */
    public long lateJoined() {
        return lateJoined;
    }

    /** Of the unknown labels, those dropped without a decision. */
    public long expired() {
        return expired;
    }

    /** Labels timed more than {@link #MAX_LEAD} after the newest decision: neither joined nor kept. */
    public long refused() {
        return refused;
    }

    /** Unknown labels still waiting. */
    public int pending() {
        return pending.size();
    }

    private static LabeledDecision join(LoggedDecision decision, FraudLabel label, int partition, long offset) {
        return new LabeledDecision(decision, label.getIsFraud(), label.getSource(),
                label.getLabeledTime() == null ? decision.eventTime() : label.getLabeledTime(), partition, offset);
    }

    private void evictPending() {
        Instant horizon = newestLabel.minus(pendingRetention);
        Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Pending head = it.next().getValue();
            Instant time = head.label().getLabeledTime();
            if (pending.size() > pendingCapacity || (time != null && time.isBefore(horizon))) {
                it.remove();
                expired++;
            } else {
                break;
            }
        }
    }
}
