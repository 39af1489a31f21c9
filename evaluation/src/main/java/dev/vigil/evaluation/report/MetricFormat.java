package dev.vigil.evaluation.report;

import java.util.Locale;

/** How the human-readable outputs print numbers: fixed decimals, and "n/a" for an undefined (NaN) value. */
final class MetricFormat {

    private MetricFormat() {
    }

    static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String metric(double value) {
        return fixed(value, 4);
    }

    static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * share);
    }

    /** A count with thousands separators, e.g. 1,234,567. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
