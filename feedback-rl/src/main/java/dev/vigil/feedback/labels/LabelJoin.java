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
 */
public final class LabelJoin {

    private static final Logger log = LoggerFactory.getLogger(LabelJoin.class);

    private final DecisionLog decisions;
    private final Duration pendingRetention;
    private final int pendingCapacity;
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private Instant newestLabel = Instant.EPOCH;
    private long joined;
    private long unknown;
    private long lateJoined;
    private long expired;

    private record Pending(FraudLabel label, int partition, long offset) {}

    public LabelJoin(DecisionLog decisions, Duration pendingRetention, int pendingCapacity) {
        this.decisions = decisions;
        this.pendingRetention = pendingRetention;
        this.pendingCapacity = pendingCapacity;
    }

    /** The joined label, or empty when its transaction is unknown (then counted and kept pending). */
    public Optional<LabeledDecision> onLabel(FraudLabel label, int partition, long offset) {
        Instant labelTime = label.getLabeledTime();
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
            log.warn("label for unknown transaction {} (card {}, {}): no logged decision; {} unknown so far, kept "
                    + "{} in case its score arrives", label.getTransactionId(), label.getCardId(), label.getSource(),
                    unknown, pendingRetention);
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
