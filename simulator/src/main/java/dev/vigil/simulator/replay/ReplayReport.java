package dev.vigil.simulator.replay;

import dev.vigil.schemas.csv.TransactionCsv.BadRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a replay did.
 *
 * @param goodRows               rows of the file that parsed, inside the window or not
 * @param badRows                rows that did not parse (skipped)
 * @param firstBadRows           the first of them, with line numbers and reasons
 * @param rowsInWindow           good rows inside the window: the transactions to publish
 * @param sortedOnDisk           the window's rows were already in event-time order in the file
 * @param transactions           transactions published (acknowledged)
 * @param interleavedLabels      chargebacks published among the transactions, at their labeled time
 * @param trailingLabels         chargebacks whose labeled time falls after the last transaction, published at the end
 * @param droppedTrailingLabels  chargebacks whose labeled time falls after the last transaction, not published
 * @param firstEventTime         event time of the first transaction published; null when none
 * @param lastEventTime          event time of the last transaction published; null when none
 * @param scanTime               wall time of the first pass (parse, index, sort)
 * @param publishTime            wall time of publishing, the final flush included
 */
public record ReplayReport(
        Path file,
        long goodRows,
        long badRows,
        List<BadRow> firstBadRows,
        long rowsInWindow,
        boolean sortedOnDisk,
        long transactions,
        long interleavedLabels,
        long trailingLabels,
        long droppedTrailingLabels,
        Instant firstEventTime,
        Instant lastEventTime,
        Duration scanTime,
        Duration publishTime) {

    public ReplayReport {
        firstBadRows = List.copyOf(firstBadRows);
    }

    public long labelsPublished() {
        return interleavedLabels + trailingLabels;
    }

    /** Transactions per second of publishing wall time. */
    public double transactionsPerSecond() {
        double seconds = publishTime.toNanos() / 1e9;
        return seconds > 0 ? transactions / seconds : 0;
    }
}
