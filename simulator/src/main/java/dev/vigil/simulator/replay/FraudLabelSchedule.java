package dev.vigil.simulator.replay;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.csv.CsvTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The fraud labels of a replay, waiting for their time: every fraud transaction seen at event time t is charged back
 * at t + delay (source {@code CHARGEBACK}), and the ones its cardholder reports ({@link CardholderReports}) are also
 * labeled at the report's time (source {@code CARDHOLDER}), usually much sooner. {@link #releaseDue} hands over every
 * label whose time has come, in label-time order, so that the replayer can put it into the stream just before the
 * first transaction that happened at or after it: a consumer meets a label only once the replayed clock has reached
 * the moment the label became known.
 *
 * <p>Transactions arrive in event-time order and the chargeback delay is the same for all, so chargebacks fall due in
 * the order they were scheduled: a FIFO queue holds them, only the fraud of the last {@code delay} of event time (a few
 * thousand entries for a week at typical fraud rates). Reports have delays of their own: a priority queue by report
 * time.
 */
public final class FraudLabelSchedule {

    private record Pending(String transactionId, String cardId, long transactionTime, long labelTime,
                           LabelSource source) {
    }

    private static final Comparator<Pending> BY_LABEL_TIME = Comparator.comparingLong(Pending::labelTime)
            .thenComparing(Pending::transactionId);

    private final long delayMillis;
    private final String labeledBy;
    private final CardholderReports cardholder;
    private final ArrayDeque<Pending> chargebacks = new ArrayDeque<>();
    private final PriorityQueue<Pending> reports = new PriorityQueue<>(BY_LABEL_TIME);
    private long lastScheduled = Long.MIN_VALUE;

    /** Chargebacks only (the Handbook's protocol). */
    public FraudLabelSchedule(Duration delay, String labeledBy) {
        this(delay, labeledBy, CardholderReports.none());
    }

    /**
     * @param delay      between a fraud transaction and its chargeback, in event time; zero or more
     * @param labeledBy  who the chargebacks come from, e.g. "issuer"
     * @param cardholder which frauds their cardholders report, and when
     */
    public FraudLabelSchedule(Duration delay, String labeledBy, CardholderReports cardholder) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the label delay must not be negative: " + delay);
        }
        this.delayMillis = delay.toMillis();
        this.labeledBy = labeledBy;
        this.cardholder = cardholder;
    }

    /** Schedules the transaction's labels if it is labeled fraud; transactions must come in event-time order. */
    public void onTransaction(CsvTransaction row) {
        long time = row.eventTime().toEpochMilli();
        if (time < lastScheduled) {
            throw new IllegalStateException("transactions out of event-time order: " + row.transactionId() + " at "
                    + row.eventTime() + " after " + Instant.ofEpochMilli(lastScheduled));
        }
        lastScheduled = time;
        if (row.isFraud()) {
            chargebacks.addLast(new Pending(row.transactionId(), row.cardId(), time, time + delayMillis,
                    LabelSource.CHARGEBACK));
            cardholder.reportTime(row.transactionId(), Instant.ofEpochMilli(time)).ifPresent(at -> reports.add(
                    new Pending(row.transactionId(), row.cardId(), time, at.toEpochMilli(), LabelSource.CARDHOLDER)));
        }
    }

    /** Hands over, in label-time order, every label known at {@code eventTimeMillis} (labeled at or before it). */
    public int releaseDue(long eventTimeMillis, Consumer<FraudLabel> sink) {
        int released = 0;
        while (true) {
            Pending chargeback = chargebacks.peekFirst();
            Pending report = reports.peek();
            Pending next = chargeback == null ? report
                    : report == null || BY_LABEL_TIME.compare(chargeback, report) <= 0 ? chargeback : report;
            if (next == null || next.labelTime() > eventTimeMillis) {
                return released;
            }
            if (next == chargeback) {
                chargebacks.pollFirst();
            } else {
                reports.poll();
            }
            sink.accept(toLabel(next));
            released++;
        }
    }

    /** Hands over every label still waiting, in order: the ones due after the last replayed transaction. */
    public int releaseAll(Consumer<FraudLabel> sink) {
        return releaseDue(Long.MAX_VALUE, sink);
    }

    /** Forgets every label still waiting and says how many there were. */
    public int discardAll() {
        int count = waiting();
        chargebacks.clear();
        reports.clear();
        return count;
    }

    public int waiting() {
        return chargebacks.size() + reports.size();
    }

    private FraudLabel toLabel(Pending p) {
        return FraudLabel.newBuilder()
                .setTransactionId(p.transactionId())
                .setCardId(p.cardId())
                .setIsFraud(true)
                .setSource(p.source())
                .setLabeledBy(p.source() == LabelSource.CARDHOLDER ? CardholderReports.REPORTED_BY : labeledBy)
                .setLabeledTime(Instant.ofEpochMilli(p.labelTime()))
                .setTransactionTime(Instant.ofEpochMilli(p.transactionTime()))
                .setNote(null)
                .build();
    }
}
