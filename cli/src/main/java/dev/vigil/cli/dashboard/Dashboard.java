package dev.vigil.cli.dashboard;

import static dev.vigil.cli.report.ReportFormat.count;
import static dev.vigil.cli.report.ReportFormat.rate;

import dev.vigil.cli.report.ReportFormat;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's live view of a {@link DashboardSnapshot}. On an ANSI terminal, a panel of {@link #PANEL_LINES} lines
 * redrawn in place: each render moves the cursor back up over the previous panel and overwrites it line by line
 * (no screen clear, so no flicker), every line shorter than 80 columns so that none wraps and the cursor arithmetic
 * stays right. Without a terminal (output piped to a file or a CI log), one plain line per render, e.g.
 *
 * <pre>
 * 2026-02-19 14:05 day 8/14 | 1,830 tx/s p50 12 ms p99 41 ms | today 11,204 tx 83 alerts 97 labels P@100 0.71 |
 * adapter 4 (3 promoted, 1 refused) | degraded 12 DLQ 0 | adapter 4 live: holdout AP 0.71 -> 0.74
 * </pre>
 *
 * (one line in the output). Numbers that are not known yet (NaN) read "n/a". Safe to call from any thread.
 */
public final class Dashboard {

    /** Lines of the ANSI panel. */
    public static final int PANEL_LINES = 6;
    /** The widest a panel line may be: one less than a classic terminal, so the last column never wraps. */
    static final int MAX_WIDTH = 79;

    private static final String ESC = "\u001b[";
    private static final String CLEAR_TO_END_OF_LINE = ESC + "K";
    private static final String BOLD = ESC + "1m";
    private static final String RESET = ESC + "0m";
    private static final int BAR_WIDTH = 20;

    private final PrintWriter out;
    private final boolean ansi;
    private boolean panelOnScreen;

    public Dashboard(PrintWriter out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    /** A dashboard on the console: the panel when {@code out} is an ANSI-capable terminal, plain lines otherwise. */
    public static Dashboard forConsole(PrintWriter out) {
        return new Dashboard(out, isAnsiTerminal());
    }

    /** Whether this process writes to a terminal that understands cursor movement. */
    public static boolean isAnsiTerminal() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !term.isBlank() && !term.equals("dumb");
    }

    public boolean ansi() {
        return ansi;
    }

    /** Shows the snapshot: redraws the panel, or prints one line. */
    public synchronized void render(DashboardSnapshot s) {
        if (!ansi) {
            out.println(line(s));
            out.flush();
            return;
        }
        StringBuilder frame = new StringBuilder();
        if (panelOnScreen) {
            frame.append(ESC).append(PANEL_LINES).append('A');
        }
        List<String> lines = panel(s);
        for (int i = 0; i < lines.size(); i++) {
            frame.append('\r');
            if (i == 0) {
                frame.append(BOLD).append(lines.get(i)).append(RESET);
            } else {
                frame.append(lines.get(i));
            }
            frame.append(CLEAR_TO_END_OF_LINE).append('\n');
        }
        // one write per frame: the terminal never shows half a panel
        out.print(frame);
        out.flush();
        panelOnScreen = true;
    }

    /**
     * Leaves the panel where it is, with the cursor on the line below it, so that what is printed next follows it;
     * the next render starts a new panel.
     */
    public synchronized void finish() {
        panelOnScreen = false;
        out.flush();
    }

    /** The plain, single-line form. */
    static String line(DashboardSnapshot s) {
        StringBuilder line = new StringBuilder();
        line.append(text(s.simulatedTime())).append(" day ").append(s.day()).append('/').append(s.days())
                .append(" | ").append(rate(s.transactionsPerSecond())).append(" tx/s p50 ").append(millis(s.p50Millis()))
                .append(" p99 ").append(millis(s.p99Millis()))
                .append(" | today ").append(count(s.transactionsToday())).append(" tx ")
                .append(count(s.alertsToday())).append(" alerts ").append(count(s.labelsToday())).append(" labels P@")
                .append(s.k()).append(' ').append(precision(s.precisionAtKToday()))
                .append(" | adapter ").append(text(s.adapterVersion())).append(" (").append(count(s.promotions()))
                .append(" promoted, ").append(count(s.refusals())).append(" refused)")
                .append(" | degraded ").append(count(s.degradedTotal())).append(" DLQ ")
                .append(count(s.deadLettersTotal()));
        if (s.lastEvent() != null && !s.lastEvent().isBlank()) {
            line.append(" | ").append(oneLine(s.lastEvent()));
        }
        return line.toString();
    }

    /** The panel's lines, without escape sequences, each at most {@link #MAX_WIDTH} wide. */
    static List<String> panel(DashboardSnapshot s) {
        List<String> lines = new ArrayList<>(PANEL_LINES);
        lines.add(String.format(Locale.ROOT, "Vigil  %-16s  day %3d/%-3d %s", text(s.simulatedTime()), s.day(),
                s.days(), progressBar(s.day(), s.days())));
        lines.add(String.format(Locale.ROOT, "  scoring   %9s tx/s   latency p50 %s  p99 %s",
                rate(s.transactionsPerSecond()), millis(s.p50Millis()), millis(s.p99Millis())));
        lines.add(String.format(Locale.ROOT, "  today     %9s tx     %s alerts  %s labels  P@%d %s",
                count(s.transactionsToday()), count(s.alertsToday()), count(s.labelsToday()), s.k(),
                precision(s.precisionAtKToday())));
        lines.add(String.format(Locale.ROOT, "  adapter   %s live  (%s promoted, %s refused)", text(s.adapterVersion()),
                count(s.promotions()), count(s.refusals())));
        lines.add(String.format(Locale.ROOT, "  so far    %9s tx     degraded %s  DLQ %s",
                count(s.transactionsTotal()), count(s.degradedTotal()), count(s.deadLettersTotal())));
        lines.add("  last      " + (s.lastEvent() == null || s.lastEvent().isBlank() ? "-" : oneLine(s.lastEvent())));
        return lines.stream().map(Dashboard::fit).toList();
    }

    /** {@code [########------------]  40%} for day {@code day} of {@code days}. */
    static String progressBar(int day, int days) {
        double done = days <= 0 ? 0 : Math.max(0, Math.min(1, (double) day / days));
        int filled = (int) Math.round(done * BAR_WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3.0f%%", 100 * done);
    }

    private static String fit(String line) {
        return line.length() <= MAX_WIDTH ? line : line.substring(0, MAX_WIDTH - 3) + "...";
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? "n/a" : oneLine(value);
    }

    /** {@code 12 ms}, {@code 3.4 ms} under 10 ms, {@code n/a}. */
    private static String millis(double value) {
        return Double.isFinite(value) ? ReportFormat.millis(value) + " ms" : ReportFormat.NOT_AVAILABLE;
    }

    private static String precision(double value) {
        return ReportFormat.format("%.2f", value);
    }
}
