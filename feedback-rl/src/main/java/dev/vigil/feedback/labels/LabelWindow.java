package dev.vigil.feedback.labels;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The labeled decisions an update learns from: one per transaction, the most recent label winning (a chargeback
 * that arrives after an analyst cleared the transaction overrules the analyst). Bounded by label time
 * ({@code retention} behind the newest label) and by {@code capacity} (the oldest labels go first).
 */
public final class LabelWindow {

    /** Label time, then the label's position on the topic. */
    public static final Comparator<LabeledDecision> BY_LABEL_TIME = Comparator
            .comparing(LabeledDecision::labelTime)
            .thenComparingInt(LabeledDecision::labelPartition)
            .thenComparingLong(LabeledDecision::labelOffset);

    private final Duration retention;
    private final int capacity;
    private final Map<String, LabeledDecision> byTransaction = new HashMap<>();
    private Instant newest = Instant.EPOCH;

    public LabelWindow(Duration retention, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("label window capacity must be at least 1: " + capacity);
        }
        this.retention = retention;
        this.capacity = capacity;
    }

    public void add(LabeledDecision labeled) {
        byTransaction.merge(labeled.transactionId(), labeled,
                (old, now) -> BY_LABEL_TIME.compare(now, old) >= 0 ? now : old);
        if (labeled.labelTime().isAfter(newest)) {
            newest = labeled.labelTime();
        }
        if (byTransaction.size() > capacity * 11L / 10) {
            trim();
        }
    }

    /** The window, oldest label first, after applying the bounds. */
    public List<LabeledDecision> snapshot() {
        trim();
        List<LabeledDecision> all = new ArrayList<>(byTransaction.values());
        all.sort(BY_LABEL_TIME);
        return all;
    }

    public int size() {
        return byTransaction.size();
    }

    /** Whether the transaction has a label in the window. */
    public boolean contains(String transactionId) {
        return byTransaction.containsKey(transactionId);
    }

    /** Label time of the newest label seen: the loop's clock (EPOCH before the first). */
    public Instant newest() {
        return newest;
    }

    private void trim() {
        Instant horizon = newest.minus(retention);
        byTransaction.values().removeIf(l -> l.labelTime().isBefore(horizon));
        if (byTransaction.size() > capacity) {
            List<LabeledDecision> all = new ArrayList<>(byTransaction.values());
            all.sort(BY_LABEL_TIME);
            for (int i = 0; i < all.size() - capacity; i++) {
                byTransaction.remove(all.get(i).transactionId());
            }
        }
    }
}
