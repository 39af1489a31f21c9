package dev.vigil.feedback.decisions;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The scorer's recent decisions by transaction id, so that a label can be joined to what the policy saw and did.
 * Bounded twice: decisions older (in event time) than {@code retention} behind the newest one seen are dropped, and
 * so are the oldest ones beyond {@code capacity}. Kept in memory only: on a restart it is rebuilt by re-reading
 * {@code fraud.scores} (see {@code FeedbackLoop}); a decision re-read after a crash replaces its earlier copy.
 * Not thread-safe: one loop thread owns it.
 */
public final class DecisionLog {

    private final Duration retention;
    private final int capacity;
    private final LinkedHashMap<String, LoggedDecision> byTransaction = new LinkedHashMap<>();
    private Instant newest = Instant.EPOCH;
    private long evicted;

    public DecisionLog(Duration retention, int capacity) {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("decision retention must be positive: " + retention);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("decision capacity must be at least 1: " + capacity);
        }
        this.retention = retention;
        this.capacity = capacity;
    }

    /** Records a decision (replacing an earlier one of the same transaction), then applies the bounds. */
    public void add(LoggedDecision decision) {
        byTransaction.remove(decision.transactionId());
        byTransaction.put(decision.transactionId(), decision);
        if (decision.eventTime().isAfter(newest)) {
            newest = decision.eventTime();
        }
        evict();
    }

    /** Event time of the newest decision seen: the stream's clock (EPOCH before the first). */
    public Instant newest() {
        return newest;
    }

    public Optional<LoggedDecision> find(String transactionId) {
        return Optional.ofNullable(byTransaction.get(transactionId));
    }

    /** The logged decisions, a read-only view (not to be held across an {@link #add}). */
    public java.util.Collection<LoggedDecision> decisions() {
        return java.util.Collections.unmodifiableCollection(byTransaction.values());
    }

    public int size() {
        return byTransaction.size();
    }

    /** Decisions dropped by the bounds so far. */
    public long evicted() {
        return evicted;
    }

    private void evict() {
        Instant horizon = newest.minus(retention);
        // insertion order is close to event-time order (each partition is in order); the head is the oldest
        Iterator<Map.Entry<String, LoggedDecision>> it = byTransaction.entrySet().iterator();
        while (it.hasNext()) {
            LoggedDecision head = it.next().getValue();
            if (byTransaction.size() > capacity || head.eventTime().isBefore(horizon)) {
                it.remove();
                evicted++;
            } else {
                break;
            }
        }
    }
}
