package dev.vigil.bench.pipeline;

/**
 * How fast a topology turned the input into committed output.
 *
 * @param records     committed output records seen (all of the input when {@code complete})
 * @param startNanos  when the topology reached RUNNING
 * @param endNanos    when the last record became visible to read_committed consumers (or the wait ended)
 * @param tenthNanos  when 10% and 90% of the records were visible, for the steady rate between them
 */
record Throughput(long records, boolean complete, long startNanos, long endNanos, long tenthNanos, long ninetiethNanos) {

    /** Records per second from RUNNING to the last committed record. */
    double perSecond() {
        return records / seconds();
    }

    double seconds() {
        return Math.max(1, endNanos - startNanos) / 1e9;
    }

    /** Records per second between 10% and 90% of the output: no start-up, no tail (NaN when not reached). */
    double steadyPerSecond() {
        if (tenthNanos == 0 || ninetiethNanos <= tenthNanos) {
            return Double.NaN;
        }
        return 0.8 * records / ((ninetiethNanos - tenthNanos) / 1e9);
    }

    static Throughput of(CommittedCount count, boolean complete, long startNanos, long endNanos) {
        return new Throughput(count.count(), complete, startNanos, complete ? count.reachedNanos(10) : endNanos,
                count.reachedNanos(1), count.reachedNanos(9));
    }
}
