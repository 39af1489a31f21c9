package dev.vigil.cli.demo;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.simulator.replay.ReplaySink;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The replay's sink during the demo: the history goes through at a fixed rate (the warm-up; fast, but not so fast
 * that the scorer's context lookups starve: offered at full speed on two shared cores most of its payments were
 * scored without context), then, from the first live day on, every payment waits until its event time comes on a clock that runs {@code 86,400 / secondsPerDay} times
 * faster than the wall clock. At the boundary it first waits for the scorer to have accounted for every payment of
 * the warm-up, so the live clock starts on an idle pipeline and the live latencies are not a backlog's.
 * {@link #stop()} makes the next call throw {@link Stopped}, which ends the replay.
 */
final class PacedReplaySink implements ReplaySink {

    /** Thrown into the replayer to end it early. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private final ReplaySink target;
    private final long liveStartMillis;
    private final double wallNanosPerEventMilli;
    private final LongSupplier accounted;
    private final Duration catchUpTimeout;
    private final double warmUpNanosPerTransaction;
    private long warmUpStartNanos = -1;
    private long warmUpSent;
    private volatile boolean stopping;
    private volatile long eventTimeMillis;
    private volatile long liveWallStartNanos = -1;
    private volatile long sent;

    /**
     * @param warmUpRate transactions per second before the live start; zero or less: as fast as possible
     * @param accounted  how many transactions the pipeline has scored or dead-lettered so far
     */
    PacedReplaySink(ReplaySink target, Instant liveStart, double secondsPerDay, double warmUpRate,
                    LongSupplier accounted, Duration catchUpTimeout) {
        this.target = target;
        this.warmUpNanosPerTransaction = warmUpRate > 0 ? 1e9 / warmUpRate : 0;
        this.liveStartMillis = liveStart.toEpochMilli();
        this.wallNanosPerEventMilli = secondsPerDay * 1e9 / 86_400_000.0;
        this.accounted = accounted;
        this.catchUpTimeout = catchUpTimeout;
    }

    @Override
    public void transaction(Transaction transaction) {
        long t = transaction.getEventTime().toEpochMilli();
        if (t >= liveStartMillis) {
            if (liveWallStartNanos < 0) {
                startLiveClock();
            }
            awaitEventTime(t);
        } else if (warmUpNanosPerTransaction > 0) {
            if (warmUpStartNanos < 0) {
                warmUpStartNanos = System.nanoTime();
            }
            awaitNanos(warmUpStartNanos + (long) (warmUpSent++ * warmUpNanosPerTransaction));
        }
        checkStopping();
        target.transaction(transaction);
        eventTimeMillis = t;
        sent++;
    }

    @Override
    public void label(FraudLabel label) {
        checkStopping();
        target.label(label);
    }

    @Override
    public void flush() {
        target.flush();
    }

    void stop() {
        stopping = true;
    }

    /** Event time of the last payment sent; 0 before the first. */
    long eventTimeMillis() {
        return eventTimeMillis;
    }

    /** Transactions handed to the target so far. */
    long sent() {
        return sent;
    }

    /** True once the live (paced) part has started. */
    boolean live() {
        return liveWallStartNanos >= 0;
    }

    private void startLiveClock() {
        target.flush();
        long deadline = System.nanoTime() + catchUpTimeout.toNanos();
        while (accounted.getAsLong() < sent && System.nanoTime() < deadline) {
            checkStopping();
            sleepMillis(50);
        }
        liveWallStartNanos = System.nanoTime();
    }

    private void awaitEventTime(long t) {
        awaitNanos(liveWallStartNanos + (long) ((t - liveStartMillis) * wallNanosPerEventMilli));
    }

    private void awaitNanos(long due) {
        while (true) {
            checkStopping();
            long wait = due - System.nanoTime();
            if (wait <= 1_000_000) {
                return;
            }
            sleepMillis(Math.min(100, wait / 1_000_000));
        }
    }

    private void checkStopping() {
        if (stopping) {
            throw new Stopped();
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }
}
