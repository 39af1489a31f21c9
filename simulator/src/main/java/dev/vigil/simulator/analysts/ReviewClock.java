package dev.vigil.simulator.analysts;

/** When, in event time, an analyst's label becomes known (the {@code labeled_time} before the review delay). */
public enum ReviewClock {
    /**
     * At the close of the alert's day (midnight UTC after it), or at the moment a late alert arrives after the close.
     * The default: which cards make the day's top k depends on every alert of that day, so no review outcome can be
     * known before the day is over; stamping a label earlier would leak later alerts into the past.
     */
    DAY_CLOSE,
    /**
     * At the alert's own event time: as if the analyst reviewed each alert as it came. Labels arrive sooner in event
     * time, at the price of the look-ahead described above.
     */
    ALERT_TIME
}
