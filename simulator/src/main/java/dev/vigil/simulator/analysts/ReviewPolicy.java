package dev.vigil.simulator.analysts;

import dev.vigil.schemas.cli.Setting;
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

    public static final Setting<Integer> CARDS_PER_DAY = Setting.atLeast("k", 100, 0,
            "Cards reviewed per event-time day (UTC).");
    public static final Setting<Duration> REVIEW_DELAY = Setting.nonNegativeDuration("review-delay",
            Duration.ofHours(1), "Event time from the review moment to the label.");
    public static final Setting<Duration> GRACE = Setting.nonNegativeDuration("grace", Duration.ofHours(1),
            "Event time a day stays open after midnight for out-of-order alerts.");
    public static final Setting<ReviewClock> CLOCK = Setting.of("review-clock", ReviewClock.DAY_CLOSE,
            "The review moment: the close of the alert's day (the day's ranking needs the whole day) or the "
                    + "alert's own time.");
    public static final Setting<Integer> ANALYSTS = Setting.atLeast("analysts", 5, 1,
            "Analysts in the team (labeled_by analyst-1..N).");
    public static final int DEFAULT_CARDS_PER_DAY = CARDS_PER_DAY.defaultValue();

    public ReviewPolicy {
        Objects.requireNonNull(reviewDelay, "reviewDelay");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(clock, "clock");
        CARDS_PER_DAY.check(cardsPerDay);
        REVIEW_DELAY.check(reviewDelay);
        GRACE.check(grace);
        ANALYSTS.check(analysts);
    }

    /** 100 cards a day, labels 1 hour after the day closes, 1 hour of grace, 5 analysts. */
    public static ReviewPolicy defaults() {
        return new ReviewPolicy(CARDS_PER_DAY.defaultValue(), REVIEW_DELAY.defaultValue(), GRACE.defaultValue(),
                CLOCK.defaultValue(), ANALYSTS.defaultValue());
    }

    public String analystForRank(int rank) {
        return "analyst-" + ((rank - 1) % analysts + 1);
    }
}
