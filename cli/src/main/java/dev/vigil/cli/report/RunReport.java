package dev.vigil.cli.report;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * What the demo's report is made of: the run's description, one row per simulated day, the end-to-end latency
 * samples and the throughput over time.
 *
 * @param title        the report's title
 * @param machine      a description of the machine (cores, memory, OS, JVM)
 * @param command      the command line that produced the run
 * @param wallTime     how long the run took
 * @param k            the k of CP@k
 * @param days         one row per simulated day, in order
 * @param latencyMillis end-to-end latency samples (arrival to score written), milliseconds
 * @param throughput   scored transactions per second over the run's wall-clock time
 * @param notes        free lines shown under the numbers (what was measured how, caveats)
 */
public record RunReport(String title, String machine, String command, Duration wallTime, int k, List<Day> days,
                        double[] latencyMillis, List<ThroughputPoint> throughput, List<String> notes) {

    /**
     * One simulated day.
     *
     * @param loopCardPrecision   CP@k of the scores the live loop produced that day (NaN if not computable)
     * @param frozenCardPrecision CP@k of the same payments scored with the frozen first adapter
     * @param loopAveragePrecision   AP of the loop's scores that day
     * @param frozenAveragePrecision AP of the frozen adapter's scores that day
     * @param adapterVersion      the adapter live at the day's end
     * @param waveFrauds          the day's frauds of the wave's pattern
     * @param loopWaveAlerts      of those, alerted by the live scores
     * @param frozenWaveAlerts    of those, alerted by the frozen adapter's scores
     * @param reviewedCards       cards the analysts reviewed that day (-1: not known)
     */
    public record Day(LocalDate date, boolean waveOn, long transactions, long frauds, long alerts, long labels,
                      double loopCardPrecision, double frozenCardPrecision, double loopAveragePrecision,
                      double frozenAveragePrecision, String adapterVersion, long waveFrauds, long loopWaveAlerts,
                      long frozenWaveAlerts, int reviewedCards) {}

    /** Scored transactions per second over the few seconds before {@code secondsSinceStart}. */
    public record ThroughputPoint(double secondsSinceStart, double transactionsPerSecond) {}
}
