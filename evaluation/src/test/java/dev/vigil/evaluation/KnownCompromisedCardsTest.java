package dev.vigil.evaluation;

import static dev.vigil.evaluation.TestTransactions.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownCompromisedCardsTest {

    @Test
    void aFraudBecomesKnownOnTheFirstDayWhoseStartMinusTheDelayIsAfterIt() {
        // Fraud on 2026-01-05T23:59:59Z with a 7-day delay: cutoff(d) = start(d) - 7 days.
        // d = 01-12: cutoff 01-05T00:00 -> not known; d = 01-13: cutoff 01-06T00:00 -> known.
        // This is the Handbook's rule: on test day d the frauds of days up to d - 8 are known.
        KnownCompromisedCards known = new KnownCompromisedCards(null, Duration.ofDays(7));
        known.recordFraud("A", Instant.parse("2026-01-05T23:59:59Z"));
        assertThat(known.cutoff(LocalDate.parse("2026-01-12"))).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
        assertThat(known.isKnownOn("A", LocalDate.parse("2026-01-12"))).isFalse();
        assertThat(known.isKnownOn("A", LocalDate.parse("2026-01-13"))).isTrue();
        assertThat(known.isKnownOn("B", LocalDate.parse("2026-01-13"))).isFalse();
    }

    @Test
    void theEarliestFraudFromTheHistoryStartCounts() {
        KnownCompromisedCards known = new KnownCompromisedCards(Instant.parse("2026-01-01T00:00:00Z"),
                Duration.ofDays(1));
        known.recordFraud("A", Instant.parse("2026-01-05T12:00:00Z"));
        known.recordFraud("A", Instant.parse("2026-01-02T12:00:00Z"));
        known.recordFraud("B", Instant.parse("2025-12-30T12:00:00Z")); // before the history: ignored
        assertThat(known.isKnownOn("A", LocalDate.parse("2026-01-04"))).isTrue();
        assertThat(known.isKnownOn("B", LocalDate.parse("2026-02-01"))).isFalse();
        assertThat(known.compromisedCards()).isEqualTo(1);
    }

    @Test
    void testWindowFraudsBecomeKnownToLaterTestDaysOfALongWindow() {
        // A 10-day test window with a 7-day delay: a fraud on its first day is known from day 9 on.
        KnownCompromisedCards known = KnownCompromisedCards.of(null, Duration.ofDays(7), List.of(
                tx("Q", "2026-01-01T10:00:00Z", true, 0.5)));
        assertThat(known.isKnownOn("Q", LocalDate.parse("2026-01-08"))).isFalse();
        assertThat(known.isKnownOn("Q", LocalDate.parse("2026-01-09"))).isTrue();
    }

    @Test
    void splitsTransactionsAndCountsExcludedCardsPerDay() {
        KnownCompromisedCards known = new KnownCompromisedCards(null, Duration.ZERO);
        known.recordFraud("A", Instant.parse("2026-01-01T10:00:00Z"));
        ScoredTransaction a1 = tx("A", "2026-01-01T11:00:00Z", false, 0.1); // same day: not yet known
        ScoredTransaction a2 = tx("A", "2026-01-02T11:00:00Z", false, 0.1);
        ScoredTransaction a3 = tx("A", "2026-01-02T12:00:00Z", true, 0.1);
        ScoredTransaction b = tx("B", "2026-01-02T11:00:00Z", false, 0.1);
        KnownCompromisedCards.Exclusion exclusion = known.exclude(List.of(a1, a2, a3, b));
        assertThat(exclusion.kept()).containsExactly(a1, b);
        assertThat(exclusion.excludedTransactions()).isEqualTo(2);
        assertThat(exclusion.excludedCardsByDay()).containsExactly(
                java.util.Map.entry(LocalDate.parse("2026-01-02"), 1));
    }

    @Test
    void noneExcludesNothing() {
        KnownCompromisedCards none = KnownCompromisedCards.none();
        none.recordFraud("A", Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(none.isKnownOn("A", LocalDate.parse("2027-01-01"))).isFalse();
        assertThat(none.enabled()).isFalse();
    }

    @Test
    void refusesANegativeDelay() {
        assertThatThrownBy(() -> new KnownCompromisedCards(null, Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
