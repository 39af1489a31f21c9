package dev.vigil.simulator.replay;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.csv.CsvTransaction;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Replays a canonical transaction CSV into a {@link ReplaySink} in event-time order, with the chargebacks of its fraud
 * rows woven in at the moment they became known.
 *
 * <ol>
 *   <li>Scan: {@link EventOrderedCsv} reads the file once, reports bad rows, and indexes (event time, line) of the
 *       rows inside the window; it sorts the index only if the file was not already in order.</li>
 *   <li>Publish: rows come back by event time (ties in file order). Before each transaction at time t, every
 *       chargeback with labeled time at or before t goes out; then the transaction; then, if it is fraud, its
 *       chargeback is scheduled at t + label delay. So on every partition a consumer sees a label only after the
 *       transaction it labels, and only once the replayed clock has reached the label's time.</li>
 *   <li>End: chargebacks due after the last transaction are published at the end (default; the issuer does send
 *       them eventually, and their labeled_time says when) or dropped; either way they are counted apart.</li>
 * </ol>
 *
 * Only transactions inside the window get chargebacks: a label for a transaction the consumer never saw would be a
 * join miss downstream. The reusable entry point for any command that needs transactions on a topic in event-time
 * order: give it another sink (a different producer, topics, or an in-memory list).
 */
public final class TransactionReplayer {

    private final ReplaySink sink;
    private final ReplayOptions options;
    private final ReplayProgress progress;

    public TransactionReplayer(ReplaySink sink, ReplayOptions options, ReplayProgress progress) {
        this.sink = sink;
        this.options = options;
        this.progress = progress;
    }

    /** Scans and publishes the file; bad rows go to {@code badRows} (kept there for the caller to list). */
    public ReplayReport replay(Path csv, BadRowLog badRows) throws IOException {
        long scanStart = System.nanoTime();
        try (EventOrderedCsv rows = EventOrderedCsv.scan(csv, options.window(), badRows)) {
            Duration scanTime = Duration.ofNanos(System.nanoTime() - scanStart);
            progress.scanned(rows);
            return publish(rows, badRows, scanTime);
        }
    }

    /** Publishes an already scanned file. */
    public ReplayReport publish(EventOrderedCsv rows, BadRowLog badRows, Duration scanTime) {
        FraudLabelSchedule chargebacks = options.chargebacks() && rows.hasLabels()
                ? new FraudLabelSchedule(options.labelDelay(), options.chargebackIssuer(), options.cardholder())
                : null;
        WallClockPacer pacer = new WallClockPacer(options.ratePerSecond());
        long[] labels = new long[1];
        Consumer<FraudLabel> labelSink = label -> {
            sink.label(label);
            labels[0]++;
        };
        long progressEvery = Math.max(1, options.progressInterval().toNanos());
        long start = System.nanoTime();
        long nextProgress = start + progressEvery;
        long transactions = 0;
        Instant first = null;
        long lastTime = Long.MIN_VALUE;
        for (CsvTransaction row : rows) {
            pacer.awaitNext();
            long time = row.eventTime().toEpochMilli();
            if (chargebacks != null) {
                chargebacks.releaseDue(time, labelSink);
            }
            sink.transaction(toTransaction(row));
            transactions++;
            if (first == null) {
                first = Instant.ofEpochMilli(time);
            }
            lastTime = time;
            if (chargebacks != null) {
                chargebacks.onTransaction(row);
            }
            if ((transactions & 1023) == 0) {
                long now = System.nanoTime();
                if (now >= nextProgress) {
                    progress.publishing(transactions, labels[0], Instant.ofEpochMilli(time),
                            transactions / ((now - start) / 1e9));
                    nextProgress = now + progressEvery;
                }
            }
        }
        long interleaved = labels[0];
        long trailing = 0;
        long dropped = 0;
        if (chargebacks != null) {
            if (options.trailingLabels()) {
                trailing = chargebacks.releaseAll(labelSink);
            } else {
                dropped = chargebacks.discardAll();
            }
        }
        sink.flush();
        Duration publishTime = Duration.ofNanos(System.nanoTime() - start);
        return new ReplayReport(rows.file(), rows.goodRows(), badRows.total(), badRows.first(), rows.rowsInWindow(),
                rows.sortedOnDisk(), transactions, interleaved, trailing, dropped, first,
                first == null ? null : Instant.ofEpochMilli(lastTime), scanTime, publishTime);
    }

    /** The Avro value of a CSV row; event time truncated to milliseconds, as the schema stores it. */
    public static Transaction toTransaction(CsvTransaction row) {
        return new Transaction(row.transactionId(), Instant.ofEpochMilli(row.eventTime().toEpochMilli()),
                row.cardId(), row.merchantId(), row.amount().minorUnits(), row.amount().currency(),
                row.merchantCategory(), row.country(), row.channel(), row.deviceId(), row.lat(), row.lon());
    }
}
