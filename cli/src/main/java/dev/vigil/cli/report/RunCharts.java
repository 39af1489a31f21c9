package dev.vigil.cli.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The three charts of a run report, each {@link ChartCanvas#WIDTH} x {@link ChartCanvas#HEIGHT}: daily CP@k of the
 * feedback loop against the frozen adapter with the wave's days shaded, the histogram of end-to-end latencies on a
 * log axis with p50 and p99 marked, and the throughput over wall-clock time. NaN values are left out; a chart with
 * nothing to draw says so.
 */
final class RunCharts {

    private static final Color WAVE = new Color(0xF2, 0x8C, 0x50, 0x38);
    private static final Color BARS = new Color(0x6F, 0x9F, 0xD8);
    private static final Color AREA = new Color(0x1F, 0x5F, 0xA8, 0x30);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd");
    /** Histogram bins per power of ten of latency. */
    private static final int BINS_PER_DECADE = 10;

    private RunCharts() {
    }

    static BufferedImage cardPrecision(RunReport report) {
        List<RunReport.Day> days = RunSummary.days(report);
        ChartCanvas canvas = new ChartCanvas("Card precision@" + report.k()
                + " per day: feedback loop vs frozen adapter");
        double max = days.stream()
                .flatMapToDouble(d -> Arrays.stream(new double[] {d.loopCardPrecision(), d.frozenCardPrecision()}))
                .filter(Double::isFinite).max().orElse(1);
        // headroom above the highest value for the legend
        double yMax = Math.min(1, Math.max(0.1, Math.ceil(max * 1.35 * 10 - 1e-9) / 10));
        int n = Math.max(1, days.size());
        canvas.axes(-0.5, n - 0.5, false, 0, yMax);
        canvas.yTicks(ChartCanvas.linearTicks(0, yMax, 6));
        String years = days.isEmpty() ? "" : days.get(0).date().getYear() == days.get(days.size() - 1).date().getYear()
                ? ", " + days.get(0).date().getYear()
                : ", " + days.get(0).date().getYear() + "-" + days.get(days.size() - 1).date().getYear();
        canvas.axisTitles("simulated day (UTC" + years + ")", "CP@" + report.k());
        if (days.isEmpty()) {
            canvas.message("no simulated day completed");
            return canvas.image();
        }
        List<ChartCanvas.Tick> ticks = new ArrayList<>();
        int every = (int) Math.ceil(days.size() / 14.0);
        for (int i = 0; i < days.size(); i += every) {
            ticks.add(new ChartCanvas.Tick(i, DAY.format(days.get(i).date())));
        }
        Graphics2D g = canvas.plot();
        boolean anyWave = false;
        for (int i = 0; i < days.size(); i++) {
            if (days.get(i).waveOn()) {
                anyWave = true;
                g.setColor(WAVE);
                g.fill(new Rectangle2D.Double(canvas.px(i - 0.5), canvas.plotTop(),
                        canvas.px(i + 0.5) - canvas.px(i - 0.5), canvas.plotBottom() - canvas.plotTop()));
            }
        }
        g.dispose();
        canvas.xTicks(ticks);
        g = canvas.plot();
        series(canvas, g, days, RunReport.Day::frozenCardPrecision, ChartCanvas.GREY, ChartCanvas.DASHED);
        series(canvas, g, days, RunReport.Day::loopCardPrecision, ChartCanvas.BLUE, ChartCanvas.LINE);
        g.dispose();
        List<ChartCanvas.LegendEntry> legend = new ArrayList<>(List.of(
                new ChartCanvas.LegendEntry("with the feedback loop", ChartCanvas.BLUE, ChartCanvas.LINE),
                new ChartCanvas.LegendEntry("frozen adapter", ChartCanvas.GREY, ChartCanvas.DASHED)));
        if (anyWave) {
            legend.add(new ChartCanvas.LegendEntry("fraud wave on", WAVE, null));
        }
        canvas.legend(legend);
        return canvas.image();
    }

    /** One line through the finite values, broken where a value is NaN; a dot on every value. */
    private static void series(ChartCanvas canvas, Graphics2D g, List<RunReport.Day> days,
                               ToDoubleFunction<RunReport.Day> metric, Color color, java.awt.Stroke stroke) {
        g.setColor(color);
        g.setStroke(stroke);
        for (int i = 1; i < days.size(); i++) {
            double a = metric.applyAsDouble(days.get(i - 1));
            double b = metric.applyAsDouble(days.get(i));
            if (Double.isFinite(a) && Double.isFinite(b)) {
                g.draw(new Line2D.Double(canvas.px(i - 1), canvas.py(a), canvas.px(i), canvas.py(b)));
            }
        }
        for (int i = 0; i < days.size(); i++) {
            double v = metric.applyAsDouble(days.get(i));
            if (Double.isFinite(v)) {
                g.fill(new Ellipse2D.Double(canvas.px(i) - 3.5, canvas.py(v) - 3.5, 7, 7));
            }
        }
    }

    static BufferedImage latency(RunReport report) {
        double[] samples = report.latencyMillis() == null ? new double[0]
                : Arrays.stream(report.latencyMillis()).filter(v -> Double.isFinite(v) && v >= 0).toArray();
        LatencyPercentiles p = LatencyPercentiles.of(samples);
        ChartCanvas canvas = new ChartCanvas("End-to-end latency, arrival to score written ("
                + ReportFormat.payments(samples.length) + ")");
        if (samples.length == 0) {
            canvas.axes(1, 1000, true, 0, 1);
            canvas.xTicks(ChartCanvas.logTicks(1, 1000));
            canvas.axisTitles("latency, ms (log scale)", "payments");
            canvas.message("no latency samples");
            return canvas.image();
        }
        double smallestPositive = Arrays.stream(samples).filter(v -> v > 0).min().orElse(1);
        double low = Math.pow(10, Math.floor(Math.log10(smallestPositive)));
        double high = Math.pow(10, Math.ceil(Math.log10(Math.max(p.max(), low))));
        if (high <= low) {
            high = low * 10;
        }
        int bins = (int) Math.round(Math.log10(high / low) * BINS_PER_DECADE);
        long[] counts = new long[bins];
        for (double v : samples) {
            int bin = (int) Math.floor(Math.log10(Math.max(v, low) / low) * BINS_PER_DECADE);
            counts[Math.max(0, Math.min(bins - 1, bin))]++;
        }
        double yMax = ChartCanvas.roundUp(Math.max(5, Arrays.stream(counts).max().orElse(1) * 1.1));
        canvas.axes(low, high, true, 0, yMax);
        canvas.xTicks(ChartCanvas.logTicks(low, high));
        canvas.yTicks(ChartCanvas.linearTicks(0, yMax, 6));
        canvas.axisTitles("latency, ms (log scale, " + BINS_PER_DECADE + " bins per power of ten)", "payments");
        Graphics2D g = canvas.plot();
        for (int i = 0; i < bins; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double left = canvas.px(low * Math.pow(10, (double) i / BINS_PER_DECADE));
            double right = canvas.px(low * Math.pow(10, (double) (i + 1) / BINS_PER_DECADE));
            double top = canvas.py(counts[i]);
            g.setColor(BARS);
            g.fill(new Rectangle2D.Double(left + 0.5, top, right - left - 1, canvas.plotBottom() - top));
        }
        g.dispose();
        // a latency of 0 ms sits in the first bin, as in the counts
        marker(canvas, Math.max(p.p50(), low), "p50 " + ReportFormat.millis(p.p50()) + " ms", false);
        marker(canvas, Math.max(p.p99(), low), "p99 " + ReportFormat.millis(p.p99()) + " ms", true);
        return canvas.image();
    }

    /** A dashed vertical line at a latency, labelled at the top: to its left, or to its right. */
    private static void marker(ChartCanvas canvas, double millis, String label, boolean right) {
        Graphics2D g = canvas.whole();
        double x = canvas.px(millis);
        g.setColor(ChartCanvas.RED);
        java.awt.Stroke saved = g.getStroke();
        g.setStroke(ChartCanvas.THIN_DASHED);
        g.draw(new Line2D.Double(x, canvas.plotTop(), x, canvas.plotBottom()));
        g.setStroke(saved);
        int width = g.getFontMetrics().stringWidth(label);
        g.drawString(label, (float) (right ? x + 5 : x - 5 - width), (float) canvas.plotTop() + 16);
    }

    static BufferedImage throughput(RunReport report) {
        List<RunReport.ThroughputPoint> points = RunSummary.throughput(report).stream()
                .filter(t -> Double.isFinite(t.secondsSinceStart()) && Double.isFinite(t.transactionsPerSecond()))
                .toList();
        ChartCanvas canvas = new ChartCanvas("Throughput: scored transactions per second over the run");
        double lastSecond = points.stream().mapToDouble(RunReport.ThroughputPoint::secondsSinceStart).max().orElse(1);
        boolean minutes = lastSecond > 300;
        double scale = minutes ? 60 : 1;
        double xMax = Math.max(lastSecond / scale, minutes ? 5 : 1);
        double peak = points.stream().mapToDouble(RunReport.ThroughputPoint::transactionsPerSecond).max().orElse(1);
        double yMax = ChartCanvas.roundUp(Math.max(1, peak * 1.1));
        canvas.axes(0, xMax, false, 0, yMax);
        canvas.xTicks(ChartCanvas.linearTicks(0, xMax, 10));
        canvas.yTicks(ChartCanvas.linearTicks(0, yMax, 6));
        canvas.axisTitles("wall-clock time since the start, " + (minutes ? "min" : "s"), "transactions/s");
        if (points.isEmpty()) {
            canvas.message("no throughput measured");
            return canvas.image();
        }
        Graphics2D g = canvas.plot();
        Path2D.Double line = new Path2D.Double();
        Path2D.Double area = new Path2D.Double();
        area.moveTo(canvas.px(points.get(0).secondsSinceStart() / scale), canvas.py(0));
        for (int i = 0; i < points.size(); i++) {
            double x = canvas.px(points.get(i).secondsSinceStart() / scale);
            double y = canvas.py(points.get(i).transactionsPerSecond());
            if (i == 0) {
                line.moveTo(x, y);
            } else {
                line.lineTo(x, y);
            }
            area.lineTo(x, y);
        }
        area.lineTo(canvas.px(points.get(points.size() - 1).secondsSinceStart() / scale), canvas.py(0));
        area.closePath();
        g.setColor(AREA);
        g.fill(area);
        g.setColor(ChartCanvas.BLUE);
        g.setStroke(ChartCanvas.LINE);
        g.draw(line);
        if (points.size() <= 60) {
            for (RunReport.ThroughputPoint t : points) {
                g.fill(new Ellipse2D.Double(canvas.px(t.secondsSinceStart() / scale) - 3,
                        canvas.py(t.transactionsPerSecond()) - 3, 6, 6));
            }
        }
        double mean = points.stream().mapToDouble(RunReport.ThroughputPoint::transactionsPerSecond).average()
                .orElseThrow();
        g.setColor(ChartCanvas.RED);
        g.setStroke(ChartCanvas.THIN_DASHED);
        g.draw(new Line2D.Double(canvas.px(0), canvas.py(mean), canvas.px(xMax), canvas.py(mean)));
        g.dispose();
        canvas.legend(List.of(
                new ChartCanvas.LegendEntry("transactions/s (last few seconds)", ChartCanvas.BLUE, ChartCanvas.LINE),
                new ChartCanvas.LegendEntry("mean " + ReportFormat.rate(mean) + " tx/s, peak "
                        + ReportFormat.rate(peak) + " tx/s", ChartCanvas.RED, ChartCanvas.THIN_DASHED)));
        return canvas.image();
    }
}
