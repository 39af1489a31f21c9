package dev.vigil.cli.report;

import static dev.vigil.cli.report.ReportFormat.cell;
import static dev.vigil.cli.report.ReportFormat.count;
import static dev.vigil.cli.report.ReportFormat.metric;
import static dev.vigil.cli.report.ReportFormat.millis;
import static dev.vigil.cli.report.ReportFormat.rate;

import java.util.List;

/**
 * The Markdown of a run report: what ran where, the summary, one row per day, the charts (relative links to the PNGs
 * {@link ReportWriter} writes beside it) and the notes. Same report, same text.
 */
final class ReportMarkdown {

    private ReportMarkdown() {
    }

    static String render(RunReport report) {
        RunSummary summary = RunSummary.of(report);
        List<RunReport.Day> days = RunSummary.days(report);
        String k = "CP@" + report.k();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(report.title() == null || report.title().isBlank() ? "Vigil run" : report.title().strip())
                .append("\n\n");
        md.append("| | |\n| --- | --- |\n");
        md.append("| machine | ").append(cell(report.machine())).append(" |\n");
        md.append("| command | ").append(report.command() == null || report.command().isBlank() ? "n/a"
                : "`" + cell(report.command()).replace("`", "'") + "`").append(" |\n");
        md.append("| wall time | ").append(ReportFormat.wallTime(report.wallTime())).append(" |\n\n");

        md.append("## Summary\n\n");
        RunSummary.Period before = summary.beforeWave();
        RunSummary.Period during = summary.duringWave();
        md.append("Daily means (days with no value left out):\n\n");
        md.append("| | before the wave (").append(days(before.days())).append(") | during the wave (")
                .append(days(during.days())).append(") |\n| --- | ---: | ---: |\n");
        md.append("| ").append(k).append(", feedback loop | ").append(metric(before.loopCardPrecision())).append(" | ")
                .append(metric(during.loopCardPrecision())).append(" |\n");
        md.append("| ").append(k).append(", frozen adapter | ").append(metric(before.frozenCardPrecision()))
                .append(" | ").append(metric(during.frozenCardPrecision())).append(" |\n");
        md.append("| AP, feedback loop | ").append(metric(before.loopAveragePrecision())).append(" | ")
                .append(metric(during.loopAveragePrecision())).append(" |\n");
        md.append("| AP, frozen adapter | ").append(metric(before.frozenAveragePrecision())).append(" | ")
                .append(metric(during.frozenAveragePrecision())).append(" |\n");
        md.append("| wave frauds alerted, feedback loop | ").append(waveAlerts(before.loopWaveAlerts(), before))
                .append(" | ").append(waveAlerts(during.loopWaveAlerts(), during)).append(" |\n");
        md.append("| wave frauds alerted, frozen adapter | ").append(waveAlerts(before.frozenWaveAlerts(), before))
                .append(" | ").append(waveAlerts(during.frozenWaveAlerts(), during)).append(" |\n");
        md.append("| review budget used, least day | ").append(budget(before.leastReviewedCards(), report.k())).append(" | ")
                .append(budget(during.leastReviewedCards(), report.k())).append(" |\n\n");

        LatencyPercentiles latency = summary.latency();
        md.append("| end-to-end latency (").append(ReportFormat.payments(latency.samples()))
                .append(") | p50 | p95 | p99 | max |\n| --- | ---: | ---: | ---: | ---: |\n");
        md.append("| ms | ").append(millis(latency.p50())).append(" | ").append(millis(latency.p95())).append(" | ")
                .append(millis(latency.p99())).append(" | ").append(millis(latency.max())).append(" |\n\n");

        RunSummary.Totals totals = summary.totals();
        md.append("| throughput, mean | throughput, peak | transactions | frauds | alerts | labels | adapter at the end "
                + "|\n| ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        md.append("| ").append(rate(summary.meanThroughput())).append(" tx/s | ")
                .append(rate(summary.peakThroughput())).append(" tx/s | ").append(count(totals.transactions()))
                .append(" | ").append(count(totals.frauds())).append(" | ").append(count(totals.alerts()))
                .append(" | ").append(count(totals.labels())).append(" | ").append(cell(totals.adapterAtEnd()))
                .append(" |\n\n");

        md.append("## Per day\n\n");
        if (days.isEmpty()) {
            md.append("No simulated day completed.\n\n");
        } else {
            md.append("| date | wave | transactions | frauds | alerts | labels | ").append(k).append(" loop | ")
                    .append(k).append(" frozen | AP loop | AP frozen | adapter | wave frauds | alerted loop | "
                            + "alerted frozen | cards reviewed |\n");
            md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: "
                    + "| ---: |\n");
            for (RunReport.Day d : days) {
                md.append("| ").append(d.date()).append(" | ").append(d.waveOn() ? "on" : "off").append(" | ")
                        .append(count(d.transactions())).append(" | ").append(count(d.frauds())).append(" | ")
                        .append(count(d.alerts())).append(" | ").append(count(d.labels())).append(" | ")
                        .append(metric(d.loopCardPrecision())).append(" | ").append(metric(d.frozenCardPrecision()))
                        .append(" | ").append(metric(d.loopAveragePrecision())).append(" | ")
                        .append(metric(d.frozenAveragePrecision())).append(" | ").append(cell(d.adapterVersion()))
                        .append(" | ").append(count(d.waveFrauds())).append(" | ").append(count(d.loopWaveAlerts()))
                        .append(" | ").append(count(d.frozenWaveAlerts())).append(" | ")
                        .append(d.reviewedCards() < 0 ? "n/a" : count(d.reviewedCards()) + " of " + report.k())
                        .append(" |\n");
            }
            md.append('\n');
        }

        md.append("## Charts\n\n");
        md.append("![").append(k).append(" per day, feedback loop vs frozen adapter](")
                .append(ReportWriter.CARD_PRECISION_CHART).append(")\n\n");
        md.append("![End-to-end latency histogram](").append(ReportWriter.LATENCY_CHART).append(")\n\n");
        md.append("![Throughput over the run](").append(ReportWriter.THROUGHPUT_CHART).append(")\n");

        List<String> notes = report.notes() == null ? List.of()
                : report.notes().stream().filter(n -> n != null && !n.isBlank()).toList();
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            for (String note : notes) {
                md.append("- ").append(note.strip().replace("\n", "\n  ")).append('\n');
            }
        }
        return md.toString();
    }

    /** "A of W" wave frauds, or n/a for a period with no day. */
    private static String waveAlerts(long alerted, RunSummary.Period period) {
        return period.days() == 0 ? "n/a" : count(alerted) + " of " + count(period.waveFrauds());
    }

    /** The least-reviewed day's cards as a share of the budget, or n/a. */
    private static String budget(int leastCards, int k) {
        return leastCards < 0 || k <= 0 ? "n/a"
                : String.format(java.util.Locale.ROOT, "%d%% (%d of %d cards)", Math.round(100.0 * leastCards / k),
                leastCards, k);
    }

    private static String days(int n) {
        return n == 1 ? "1 day" : n + " days";
    }
}
