package dev.vigil.streams.context;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.ContextSource;
import dev.vigil.model.context.HistoryContextSource;
import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrieval context the scorer holds in memory: every case (scored transaction) and label it has been told of,
 * answering "as of t" with the trainer's own definitions, because it is the trainer's {@link HistoryContextSource}
 * behind a lock. Scoring reads it without any network call; a {@link ContextFollower} keeps it current from
 * {@code fraud.scores} and {@code fraud.labels} (every partition, so that a merchant's context is whole on every
 * scorer instance), after loading what the {@code cases} index already holds, and the scorer adds its own scores as
 * it makes them.
 *
 * <p><b>Freshness.</b> The follower reports, after each poll that left nothing unread, the wall-clock time up to
 * which it holds everything ({@link #caughtUp}); {@link #ageMillis} is how far behind that is now. Scoring flags a
 * payment whose context is older than a bound ({@code context_stale}), and a payment scored before the first load
 * finished ({@code context_unavailable}).
 *
 * <p><b>Memory.</b> Unlabeled and genuine cases older than {@code retention} before the newest event time are
 * dropped now and then ({@link #forgetOld}); fraud cases are kept (they are neighbours at any age). About 200 bytes a
 * case: 30 days of 10,000 payments a day is about 60 MB. Answers for a payment up to {@code retention - 30 days} older
 * than the newest case are unaffected (see {@link HistoryContextSource#retainedSince}).
 *
 * <p>Thread-safe: reads share a read lock; one writer (the follower) records under the write lock, and the stream
 * threads hand their own scores to it ({@link #offer}) rather than wait for that lock.
 */
public final class LocalContext implements ContextSource {

    private static final Logger log = LoggerFactory.getLogger(LocalContext.class);

    /** Cases older than this before the newest are dropped unless labeled fraud. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(40);

    private final int dimension;
    private final Duration retention;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile HistoryContextSource cases; // replaced under the write lock; changed only by the writer, under it
    private volatile long freshAsOfMillis = Long.MIN_VALUE;
    private volatile boolean loaded;
    private final AtomicLong conflicts = new AtomicLong();
    private long lastForgetAt = Long.MIN_VALUE / 2; // the writer's
    private final ConcurrentLinkedQueue<List<Case>> offered = new ConcurrentLinkedQueue<>();
    private final AtomicInteger offeredCount = new AtomicInteger();

    /** Most cases offered by the stream threads and not yet recorded. */
    static final int MAX_OFFERED = 200_000;

    public LocalContext(int dimension, Duration retention) {
        this.dimension = dimension;
        this.retention = requireRetention(retention);
        this.cases = new HistoryContextSource(dimension);
    }

    /** A retention the merchant windows allow (at least 31 days: they reach back 30), or an exception saying why. */
    public static Duration requireRetention(Duration retention) {
        if (retention.compareTo(Duration.ofDays(31)) < 0) {
            throw new IllegalArgumentException("the context's retention must be at least 31 days (the merchant "
                    + "windows reach back 30): " + retention);
        }
        return retention;
    }

    /** A query of the cases under the read lock. */
    private <T> T read(Function<HistoryContextSource, T> query) {
        lock.readLock().lock();
        try {
            return query.apply(cases);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int dimension() {
        return dimension;
    }

    /** How long before the newest event time unlabeled and genuine cases are kept. */
    public Duration retention() {
        return retention;
    }

    @Override
    public MerchantContext merchant(String merchantId, Instant asOf) {
        return read(c -> c.merchant(merchantId, asOf));
    }

    @Override
    public SimilarCases similar(float[] caseVector, Instant asOf, int k) {
        return read(c -> c.similar(caseVector, asOf, k));
    }

    /**
     * Both, for a batch. The read lock is taken per payment, not per batch: a writer waiting for the lock stops every
     * new reader, so a batch-long read (a few ms at thousands of fraud cases) would stall the other stream threads
     * behind the follower each time it records.
     */
    @Override
    public List<RetrievedContext> retrieve(List<ContextQuery> queries) {
        List<RetrievedContext> answers = new ArrayList<>(queries.size());
        for (ContextQuery q : queries) {
            answers.add(read(c -> new RetrievedContext(c.merchant(q.merchantId(), q.asOf()),
                    c.similar(q.caseVector(), q.asOf(), q.k()))));
        }
        return answers;
    }

    /**
     * Records cases, then labels (in that order, so a label of a case in the same call applies at once). A case
     * recorded again with the same content changes nothing; one recorded again with another merchant, event time or
     * vector (a transaction id sent twice and scored twice) keeps the first and is logged with a running count.
     * Called by the one writer, the {@link ContextFollower}; the stream threads hand their scores over with
     * {@link #offer} instead, so that they never wait for the write lock.
     */
    public void record(Collection<Case> newCases, Collection<CaseLabel> newLabels) {
        if (newCases.isEmpty() && newLabels.isEmpty()) {
            return;
        }
        lock.writeLock().lock();
        try {
            for (Case c : newCases) {
                try {
                    cases.recordTransaction(c);
                } catch (IllegalArgumentException e) {
                    long n = conflicts.incrementAndGet();
                    if (n <= 10 || Long.bitCount(n) == 1) {
                        log.warn("case not recorded in the local context ({} so far): {}", n, e.getMessage());
                    }
                }
            }
            for (CaseLabel l : newLabels) {
                cases.recordLabel(l);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The scorer's own cases, just scored: recorded by the writer at its next turn (within about 20 ms), well before
     * they come back from {@code fraud.scores}. Never blocks; beyond {@link #MAX_OFFERED} waiting they are left to the
     * topic.
     */
    public void offer(List<Case> scored) {
        if (offeredCount.addAndGet(scored.size()) > MAX_OFFERED) {
            offeredCount.addAndGet(-scored.size());
            return;
        }
        offered.add(scored);
    }

    /** Takes what the stream threads offered since the last call (the writer records it with what it read). */
    public List<Case> drainOffered() {
        List<Case> all = new ArrayList<>();
        for (List<Case> batch; (batch = offered.poll()) != null; ) {
            offeredCount.addAndGet(-batch.size());
            all.addAll(batch);
        }
        return all;
    }

    /**
     * Drops the unlabeled and genuine cases older than the retention before the newest event time, if the newest
     * event time moved on by a quarter of the retention since the last time: a copy is built without a lock (only the
     * writer changes the cases, and it is busy here; scoring goes on reading) and swapped in under the write lock.
     * Called by the one writer.
     */
    public void forgetOld() {
        HistoryContextSource current = cases;
        long newest = current.newestEventTime();
        if (newest == Long.MIN_VALUE || newest - lastForgetAt < retention.toMillis() / 4) {
            return;
        }
        lastForgetAt = newest;
        int before = current.size();
        HistoryContextSource kept = current.retainedSince(Instant.ofEpochMilli(newest).minus(retention));
        if (kept.size() == before) {
            return;
        }
        lock.writeLock().lock();
        try {
            cases = kept;
        } finally {
            lock.writeLock().unlock();
        }
        log.info("local context: dropped {} cases older than {} (unlabeled or genuine); {} held, {} fraud",
                before - kept.size(), retention, kept.size(), kept.fraudCases());
    }

    /** The follower holds everything written before {@code wallMillis} (the start of a poll that left nothing unread). */
    public void caughtUp(long wallMillis) {
        if (wallMillis > freshAsOfMillis) {
            freshAsOfMillis = wallMillis;
        }
    }

    /** The first load (the cases index and the topics up to their end) is done. */
    public void loaded(long wallMillis) {
        caughtUp(wallMillis);
        loaded = true;
    }

    /** Whether the first load is done. */
    public boolean isLoaded() {
        return loaded;
    }

    /** How far behind the flowing labels and scores this context is, in ms of wall clock (MAX_VALUE before loading). */
    public long ageMillis(long nowMillis) {
        long fresh = freshAsOfMillis;
        return !loaded || fresh == Long.MIN_VALUE ? Long.MAX_VALUE : Math.max(0, nowMillis - fresh);
    }

    /** Cases held now. */
    public int size() {
        return read(HistoryContextSource::size);
    }

    /** Fraud cases held now. */
    public int fraudCases() {
        return read(HistoryContextSource::fraudCases);
    }
}
