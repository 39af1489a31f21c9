package dev.vigil.simulator.replay;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a replay to a rate in records per second of wall time. The n-th record is due at start + n / rate, so a pause
 * (a slow flush, a GC) is caught up afterwards rather than lost, and the average rate is exact over any long run.
 */
final class WallClockPacer {

    private final double nanosPerRecord;
    private long start = -1;
    private long count;

    /** @param perSecond records per second; zero or less means as fast as possible */
    WallClockPacer(double perSecond) {
        this.nanosPerRecord = perSecond > 0 ? 1e9 / perSecond : 0;
    }

    /** Waits until the next record is due. */
    void awaitNext() {
        if (nanosPerRecord == 0) {
            return;
        }
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
        }
        long due = start + (long) (count++ * nanosPerRecord);
        while (now < due) {
            LockSupport.parkNanos(due - now);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pacing the replay");
            }
            now = System.nanoTime();
        }
    }
}
