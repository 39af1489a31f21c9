package dev.vigil.simulator.replay;

import java.time.Instant;

/** What a replay tells about itself while it runs; every method has a silent default. */
public interface ReplayProgress {

    ReplayProgress SILENT = new ReplayProgress() {
    };

    /** The file has been read once and indexed; publishing starts next. */
    default void scanned(EventOrderedCsv csv) {
    }

    /**
     * Called every few seconds of wall time while publishing.
     *
     * @param transactions   transactions handed to the sink so far
     * @param labels         labels handed to the sink so far
     * @param eventTime      event time of the last transaction handed over
     * @param ratePerSecond  transactions per second of wall time since publishing started
     */
    default void publishing(long transactions, long labels, Instant eventTime, double ratePerSecond) {
    }
}
