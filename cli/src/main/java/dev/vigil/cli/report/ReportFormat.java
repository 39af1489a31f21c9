package dev.vigil.cli.report;

import java.time.Duration;
import java.util.Locale;

/**
 * How the demo's report, the bench report and the dashboard write their numbers: locale-independent, "n/a" for
 * anything not finite.
 */
public final class ReportFormat {

    public static final String NOT_AVAILABLE = "n/a";

    private ReportFormat() {
    }

    /** A precision or an average precision: three decimals. */
    public static String metric(double value) {
        return format("%.3f", value);
    }

    /** Milliseconds: one decimal under 10 ms, whole milliseconds above. */
    public static String millis(double value) {
        return format(Math.abs(value) < 10 ? "%.1f" : "%,.0f", value);
    }

    /** Transactions per second, whole. */
    public static String rate(double value) {
        return format("%,.0f", value);
    }

    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** {@code 1 payment}, {@code 20,000 payments}. */
    public static String payments(long n) {
        return count(n) + (n == 1 ? " payment" : " payments");
    }

    public static String format(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : NOT_AVAILABLE;
    }

    /** {@code 42.3 s}, {@code 12 min 05 s}, {@code 1 h 02 min 05 s}. */
    public static String wallTime(Duration duration) {
        if (duration == null || duration.isNegative()) {
            return NOT_AVAILABLE;
        }
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min %02d s", seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }

    /** Text for a Markdown table cell: one line, pipes escaped. */
    public static String cell(String text) {
        if (text == null || text.isBlank()) {
            return NOT_AVAILABLE;
        }
        return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|");
    }
}
