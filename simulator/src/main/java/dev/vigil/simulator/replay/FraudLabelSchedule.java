package dev.vigil.simulator.replay;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.csv.CsvTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The chargebacks of a replay, waiting for their time. A fraud transaction seen at event time t is charged back at
 * t + delay; {@link #releaseDue} hands over every chargeback whose time has come, so that the replayer can put it into
 * the stream just before the first transaction that happened at or after it: a consumer meets a label only once the
 * replayed clock has reached the moment the label became known.
 *
 * <p>Transactions arrive in event-time order and the delay is the same for all, so chargebacks fall due in the order
 * they were scheduled: a FIFO queue is the whole schedule, holding only the fraud of the last {@code delay} of event
 * time (a few thousand entries for a week at typical fraud rates).
 */
public final class ChargebackSchedule {

    private record Pending(String transactionId, String cardId, long transactionTime) {
    }

    private final long delayMillis;
    private final String labeledBy;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long lastScheduled = Long.MIN_VALUE;

    /**
     * @param delay     between a fraud transaction and its chargeback, in event time; zero or more
     * @param labeledBy who the chargebacks come from, e.g. "issuer"
     */
    public ChargebackSchedule(Duration delay, String labeledBy) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the label delay must not be negative: " + delay);
        }
        this.delayMillis = delay.toMillis();
        this.labeledBy = labeledBy;
    }

    /** Schedules the transaction's chargeback if it is labeled fraud; transactions must come in event-time order. */
    public void onTransaction(CsvTransaction row) {
        long time = row.eventTime().toEpochMilli();
        if (time < lastScheduled) {
            throw new IllegalStateException("transactions out of event-time order: " + row.transactionId() + " at "
                    + row.eventTime() + " after " + Instant.ofEpochMilli(lastScheduled));
        }
        lastScheduled = time;
        if (row.isFraud()) {
            pending.addLast(new Pending(row.transactionId(), row.cardId(), time));
        }
    }

    /** Hands over, in order, every chargeback known at {@code eventTimeMillis} (labeled time at or before it). */
    public int releaseDue(long eventTimeMillis, Consumer<FraudLabel> sink) {
        int released = 0;
        while (!pending.isEmpty() && pending.peekFirst().transactionTime() + delayMillis <= eventTimeMillis) {
            sink.accept(toLabel(pending.pollFirst()));
            released++;
        }
        return released;
    }

    /** Hands over every chargeback still waiting, in order: the ones due after the last replayed transaction. */
    public int releaseAll(Consumer<FraudLabel> sink) {
        return releaseDue(Long.MAX_VALUE - delayMillis, sink);
    }

    /** Forgets every chargeback still waiting and says how many there were. */
    public int discardAll() {
        int count = pending.size();
        pending.clear();
        return count;
    }

    public int waiting() {
        return pending.size();
    }

    private FraudLabel toLabel(Pending p) {
        return FraudLabel.newBuilder()
                .setTransactionId(p.transactionId())
                .setCardId(p.cardId())
                .setIsFraud(true)
                .setSource(LabelSource.CHARGEBACK)
                .setLabeledBy(labeledBy)
                .setLabeledTime(Instant.ofEpochMilli(p.transactionTime() + delayMillis))
                .setTransactionTime(Instant.ofEpochMilli(p.transactionTime()))
                .setNote(null)
                .build();
    }
}
