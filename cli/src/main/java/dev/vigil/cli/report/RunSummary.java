package dev.vigil.cli.report;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The headline numbers of a {@link RunReport}: the quality of the feedback loop against the frozen adapter before and
 * during the fraud wave, the latency percentiles, the throughput and the totals. Means skip NaN values; a mean over
 * no value is NaN.
 *
 * @param beforeWave the days before the first day with the wave on (all days when the wave never starts)
 * @param duringWave the days with the wave on
 */
public record RunSummary(Period beforeWave, Period duringWave, LatencyPercentiles latency, double meanThroughput,
                         double peakThroughput, Totals totals) {

    /** Daily means over a run of days. */
    public record Period(int days, double loopCardPrecision, double frozenCardPrecision,
                         double loopAveragePrecision, double frozenAveragePrecision, long waveFrauds,
                         long loopWaveAlerts, long frozenWaveAlerts, int leastReviewedCards) {

        static Period of(List<RunReport.Day> days) {
            return new Period(days.size(), mean(days, RunReport.Day::loopCardPrecision),
                    mean(days, RunReport.Day::frozenCardPrecision), mean(days, RunReport.Day::loopAveragePrecision),
                    mean(days, RunReport.Day::frozenAveragePrecision),
                    days.stream().mapToLong(RunReport.Day::waveFrauds).sum(),
                    days.stream().mapToLong(RunReport.Day::loopWaveAlerts).sum(),
                    days.stream().mapToLong(RunReport.Day::frozenWaveAlerts).sum(),
                    days.stream().mapToInt(RunReport.Day::reviewedCards).filter(c -> c >= 0).min().orElse(-1));
        }
    }

    /** Sums over every day, and the adapter live at the end (null with no day). */
    public record Totals(long transactions, long frauds, long alerts, long labels, String adapterAtEnd) {}

    public static RunSummary of(RunReport report) {
        List<RunReport.Day> days = days(report);
        int firstWaveDay = 0;
        while (firstWaveDay < days.size() && !days.get(firstWaveDay).waveOn()) {
            firstWaveDay++;
        }
        List<RunReport.Day> during = days.stream().filter(RunReport.Day::waveOn).toList();
        double[] rates = throughput(report).stream()
                .mapToDouble(RunReport.ThroughputPoint::transactionsPerSecond)
                .filter(Double::isFinite)
                .toArray();
        Totals totals = new Totals(days.stream().mapToLong(RunReport.Day::transactions).sum(),
                days.stream().mapToLong(RunReport.Day::frauds).sum(),
                days.stream().mapToLong(RunReport.Day::alerts).sum(),
                days.stream().mapToLong(RunReport.Day::labels).sum(),
                days.isEmpty() ? null : days.get(days.size() - 1).adapterVersion());
        return new RunSummary(Period.of(days.subList(0, firstWaveDay)), Period.of(during),
                LatencyPercentiles.of(report.latencyMillis()),
                rates.length == 0 ? Double.NaN : java.util.Arrays.stream(rates).average().orElseThrow(),
                rates.length == 0 ? Double.NaN : java.util.Arrays.stream(rates).max().orElseThrow(), totals);
    }

    static List<RunReport.Day> days(RunReport report) {
        return report.days() == null ? List.of() : report.days();
    }

    static List<RunReport.ThroughputPoint> throughput(RunReport report) {
        return report.throughput() == null ? List.of() : report.throughput();
    }

    private static double mean(List<RunReport.Day> days, ToDoubleFunction<RunReport.Day> metric) {
        return days.stream().mapToDouble(metric).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
