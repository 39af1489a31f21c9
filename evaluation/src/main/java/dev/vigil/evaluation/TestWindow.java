package dev.vigil.evaluation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Objects;

/**
 * The test period of an evaluation, half-open: {@code from <= eventTime < to}. Test days are UTC calendar days.
 */
public record TestWindow(Instant from, Instant to) {

    public TestWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the test window must end after it starts: [" + from + ", " + to + ")");
        }
    }

    /** {@code days} whole UTC days starting at the beginning of {@code firstDay}. */
    public static TestWindow days(LocalDate firstDay, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("a test window needs at least one day: " + days);
        }
        return new TestWindow(startOf(firstDay), startOf(firstDay.plusDays(days)));
    }

    /** The whole UTC days that hold the given transactions' event times. */
    public static TestWindow covering(Collection<ScoredTransaction> transactions) {
        if (transactions.isEmpty()) {
            throw new IllegalArgumentException("no transactions to cover");
        }
        Instant min = Instant.MAX;
        Instant max = Instant.MIN;
        for (ScoredTransaction t : transactions) {
            min = t.eventTime().isBefore(min) ? t.eventTime() : min;
            max = t.eventTime().isAfter(max) ? t.eventTime() : max;
        }
        return new TestWindow(startOf(dayOf(min)), startOf(dayOf(max).plusDays(1)));
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    public static LocalDate dayOf(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
