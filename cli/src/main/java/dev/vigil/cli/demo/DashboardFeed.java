package dev.vigil.cli.demo;

import dev.vigil.cli.dashboard.Dashboard;
import dev.vigil.cli.dashboard.DashboardSnapshot;
import dev.vigil.cli.report.RunReport;
import dev.vigil.feedback.FeedbackLoop;
import dev.vigil.streams.ScoringApp;
import io.micrometer.core.instrument.Counter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Once a second: a {@link DashboardSnapshot} from the scorer's metrics (transactions per second: the rate of
 * {@code vigil.transactions.scored} over the last 3 s), the output topics as a consumer reads them (latency p50/p99
 * over the last 10 s, today's counts, precision@k today), the live adapter and the loop's counters; and a throughput
 * point for the report. Also watches for notable events (an adapter going live, a cycle's outcome) for the
 * dashboard's last line.
 */
final class DashboardFeed {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final int RATE_SECONDS = 3;

    private final Dashboard dashboard;
    private final DemoSettings settings;
    private final ScoringApp app;
    private final AtomicReference<FeedbackLoop> loop;
    private final OutputReader reader;
    private final DayTally tally;
    private final LatencyWindow latency;
    private final AtomicReference<String> lastEvent;
    private final long startNanos;
    private final Counter scored;
    private final List<double[]> rateHistory = new ArrayList<>(); // {seconds since start, scored total}
    private final List<RunReport.ThroughputPoint> throughput = new ArrayList<>();
    private String lastAdapter;
    private String lastOutcome;

    DashboardFeed(Dashboard dashboard, DemoSettings settings, ScoringApp app, AtomicReference<FeedbackLoop> loop,
                  OutputReader reader, DayTally tally, LatencyWindow latency, AtomicReference<String> lastEvent,
                  long startNanos) {
        this.dashboard = dashboard;
        this.settings = settings;
        this.app = app;
        this.loop = loop;
        this.reader = reader;
        this.tally = tally;
        this.latency = latency;
        this.lastEvent = lastEvent;
        this.startNanos = startNanos;
        this.scored = app.metrics().registry().find("vigil.transactions.scored").counter();
    }

    /** Takes the measurements of this second and, if {@code render}, draws them. */
    synchronized void tick(boolean render) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double total = scored == null ? tally.scoredTotal() : scored.count();
        rateHistory.add(new double[] {seconds, total});
        while (rateHistory.size() > 1 && seconds - rateHistory.get(0)[0] > RATE_SECONDS) {
            rateHistory.remove(0);
        }
        double[] first = rateHistory.get(0);
        double rate = seconds > first[0] ? (total - first[1]) / (seconds - first[0]) : 0;
        throughput.add(new RunReport.ThroughputPoint(seconds, rate));
        watchEvents();
        if (render) {
            dashboard.render(snapshot(rate));
        }
    }

    private void watchEvents() {
        String adapter = app.adapters().get().version();
        if (lastAdapter != null && !adapter.equals(lastAdapter)) {
            lastEvent.set("adapter " + adapter + " live in the scorer (was " + lastAdapter + ")");
        }
        lastAdapter = adapter;
        FeedbackLoop l = loop.get();
        if (l != null && l.stats() != null) {
            String outcome = l.stats().lastOutcome();
            if (lastOutcome != null && !Objects.equals(outcome, lastOutcome)) {
                lastEvent.set("feedback cycle " + l.stats().cycles() + ": " + outcome);
            }
            lastOutcome = outcome;
        }
    }

    private DashboardSnapshot snapshot(double rate) {
        LocalDate today = reader.today();
        long latest = tally.latestEventMillis();
        int day = today == null ? 0 : Math.max(0, settings.liveDayNumber(today));
        FeedbackLoop l = loop.get();
        FeedbackLoop.Stats stats = l == null ? null : l.stats();
        return new DashboardSnapshot(
                latest == 0 ? "-" : CLOCK.format(Instant.ofEpochMilli(latest)) + (day == 0 ? " (warm-up)" : ""),
                Math.min(day, settings.liveDays()), settings.liveDays(), rate,
                latency.recentQuantile(0.50), latency.recentQuantile(0.99),
                today == null ? 0 : tally.scored(today), today == null ? 0 : tally.alerts(today),
                today == null ? 0 : tally.labels(today),
                today == null ? Double.NaN : tally.precisionAtK(today, settings.k()), settings.k(),
                app.adapters().get().version(), stats == null ? 0 : stats.published(),
                stats == null ? 0 : stats.refused(), tally.degradedTotal(), tally.deadLettersTotal(),
                tally.scoredTotal(), lastEvent.get());
    }

    synchronized List<RunReport.ThroughputPoint> throughput() {
        return List.copyOf(throughput);
    }

    void finish() {
        dashboard.finish();
    }
}
