package dev.vigil.simulator.replay;

import dev.vigil.schemas.csv.TransactionCsv;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The event-time range a replay publishes: {@code [from, to)}, either end open when null. Half-open so that
 * consecutive windows ({@code --from 2026-02-01 --to 2026-02-08}, then {@code --from 2026-02-08}) never publish a row
 * twice or skip one.
 */
public record ReplayWindow(Instant from, Instant to) {

    public static final ReplayWindow ALL = new ReplayWindow(null, null);

    public ReplayWindow {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the window is empty: --from " + from + " is not before --to " + to);
        }
    }

    public boolean contains(long eventTimeMillis) {
        return (from == null || eventTimeMillis >= from.toEpochMilli())
                && (to == null || eventTimeMillis < to.toEpochMilli());
    }

    public boolean contains(Instant eventTime) {
        return contains(eventTime.toEpochMilli());
    }

    /**
     * Reads a window bound: a date ({@code 2026-02-01}, midnight UTC at the start of that day) or a time in the CSV's
     * own formats (ISO-8601 instant {@code 2026-02-01T06:00:00Z}, with an offset, or zone-less read as UTC).
     */
    public static Instant parseBound(String text) {
        String trimmed = text.trim();
        if (trimmed.length() == 10) {
            try {
                return LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a date (yyyy-MM-dd): '" + text + "'");
            }
        }
        try {
            return TransactionCsv.parseTime(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a date (2026-02-01) or an ISO-8601 time (2026-02-01T06:00:00Z): '"
                    + text + "'");
        }
    }

    @Override
    public String toString() {
        return "[" + (from == null ? "start of file" : from) + ", " + (to == null ? "end of file" : to) + ")";
    }
}
