package dev.vigil.simulator.analysts;

import java.time.Duration;
import java.util.Objects;

/**
 * How the analyst team works.
 *
 * @param cardsPerDay the daily review budget: cards reviewed per event-time day (UTC)
 * @param reviewDelay event time from the review moment ({@link ReviewClock}) to the label
 * @param grace       event time a day stays open after its end, for alerts that arrive a little out of order
 * @param clock       what the review moment is
 * @param analysts    team size; the reviewed cards of a day are dealt round-robin in rank order
 */
public record ReviewPolicy(int cardsPerDay, Duration reviewDelay, Duration grace, ReviewClock clock, int analysts) {

    public static final int DEFAULT_CARDS_PER_DAY = 100;

    public ReviewPolicy {
        Objects.requireNonNull(reviewDelay, "reviewDelay");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(clock, "clock");
        if (cardsPerDay < 0) {
            throw new IllegalArgumentException("cards per day (--k) must not be negative: " + cardsPerDay);
        }
        if (reviewDelay.isNegative()) {
            throw new IllegalArgumentException("the review delay must not be negative: " + reviewDelay);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative: " + grace);
        }
        if (analysts < 1) {
            throw new IllegalArgumentException("at least one analyst is needed: " + analysts);
        }
    }

    /** 100 cards a day, labels 1 hour after the day closes, 1 hour of grace, 5 analysts. */
    public static ReviewPolicy defaults() {
        return new ReviewPolicy(DEFAULT_CARDS_PER_DAY, Duration.ofHours(1), Duration.ofHours(1), ReviewClock.DAY_CLOSE, 5);
    }

    public String analystForRank(int rank) {
        return "analyst-" + ((rank - 1) % analysts + 1);
    }
}
