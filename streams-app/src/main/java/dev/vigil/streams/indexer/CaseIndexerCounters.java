package dev.vigil.streams.indexer;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a {@link CaseIndexer} has done since it was built, for metrics and health checks: monotonic counts, safe to read
 * from any thread (for example as Micrometer {@code FunctionCounter}s). Counts are of committed batches: a batch that is
 * retried is counted once, when it is committed.
 */
public final class CaseIndexerCounters {

    /** The last failure: when, and what. */
    public record LastError(Instant time, String message) {
    }

    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong casesIndexed = new AtomicLong();
    private final AtomicLong casesUnchanged = new AtomicLong();
    private final AtomicLong labelsApplied = new AtomicLong();
    private final AtomicLong labelsUnchanged = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong batchesCommitted = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicReference<LastError> lastError = new AtomicReference<>();

    /** Records read from the scores and labels topics and committed (whatever became of them). */
    public long recordsRead() {
        return recordsRead.get();
    }

    /** Case documents OpenSearch created or updated (a replayed case counts again: the upsert script rewrites it). */
    public long casesIndexed() {
        return casesIndexed.get();
    }

    /** Case upserts OpenSearch reported as no-ops; 0 while {@code CaseIndex}'s upsert script always writes. */
    public long casesUnchanged() {
        return casesUnchanged.get();
    }

    /** Labels that set a case's label (or created a label-only document for a case not indexed yet). */
    public long labelsApplied() {
        return labelsApplied.get();
    }

    /** Labels older than the case's current label: left as they were (the latest label wins). */
    public long labelsUnchanged() {
        return labelsUnchanged.get();
    }

    /** Records sent to the dead-letter topic: undecodable, refused, or permanently failed in OpenSearch. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Batches whose offsets were committed. */
    public long batchesCommitted() {
        return batchesCommitted.get();
    }

    /** Waits before another attempt: OpenSearch, the registry or Kafka failed, or an item was rejected as busy. */
    public long retries() {
        return retries.get();
    }

    /** The last failure, if any (it may since have been overcome by a retry). */
    public Optional<LastError> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    void committed(int records, int casesWritten, int casesNoop, int labelsWritten, int labelsNoop, int deadLetters) {
        recordsRead.addAndGet(records);
        casesIndexed.addAndGet(casesWritten);
        casesUnchanged.addAndGet(casesNoop);
        labelsApplied.addAndGet(labelsWritten);
        labelsUnchanged.addAndGet(labelsNoop);
        deadLettered.addAndGet(deadLetters);
        batchesCommitted.incrementAndGet();
    }

    void retried() {
        retries.incrementAndGet();
    }

    void failed(String message) {
        lastError.set(new LastError(Instant.now(), message));
    }

    @Override
    public String toString() {
        return "read " + recordsRead() + ", cases " + casesIndexed() + " (+" + casesUnchanged() + " unchanged), labels "
                + labelsApplied() + " (+" + labelsUnchanged() + " unchanged), dead-lettered " + deadLettered()
                + ", batches " + batchesCommitted() + ", retries " + retries()
                + lastError().map(e -> ", last error at " + e.time() + ": " + e.message()).orElse("");
    }
}
