package dev.vigil.simulator.generate;

/**
 * When incidents of a scenario begin: at a steady rate per day, the fraction carried over to the next day. Counts track
 * the rate closely (unlike a Poisson draw), so a scenario's share of the data barely moves between seeds, and a rare
 * scenario still shows up in a short run.
 */
final class IncidentSchedule {
    private final double perDay;
    private double due;

    /** @param phase in [0, 1): how far towards the first incident the schedule starts */
    IncidentSchedule(double perDay, double phase) {
        this.perDay = perDay;
        this.due = phase;
    }

    /** The number of incidents beginning on the next day. */
    int next() {
        due += perDay;
        int n = (int) due;
        due -= n;
        return n;
    }
}
