package dev.vigil.model.context;

import java.time.Duration;

/**
 * What was known about a merchant's fraud at one instant t (the payment's event time), for the windows of
 * {@link #WINDOW_DAYS} days. Point in time, by definition:
 * <ul>
 *   <li>{@code fraudNd}: fraud labels on the merchant's cases with label time in (t - N days, t]. A label counts from
 *       the moment it is known, not from the payment it is about: a chargeback published at t + 1 ms is invisible
 *       at t, however old its payment.</li>
 *   <li>{@code transactionsNd}: the merchant's transactions with event time in (t - N days, t): strictly before t,
 *       so the payment itself (and anything at the same millisecond) is never counted.</li>
 *   <li>{@code daysSinceLastFraud}: days from the latest fraud label with label time &lt;= t to t, capped at
 *       {@link #DAYS_SINCE_FRAUD_CAP} (which is also the value when the merchant has no such label).</li>
 * </ul>
 * {@link #MISSING} stands for "retrieval failed": the encoder then writes zeros and sets the
 * {@code merchant_context_missing} flag.
 *
 * @param missing true only for {@link #MISSING}
 */
public record MerchantContext(
        long fraud1d, long fraud7d, long fraud30d,
        long transactions1d, long transactions7d, long transactions30d,
        double daysSinceLastFraud,
        boolean missing) {

    /** The windows, in days, in the order of the fields. */
    public static final int[] WINDOW_DAYS = {1, 7, 30};
    /** Cap of {@link #daysSinceLastFraud}, in days; also its value when no fraud label is known. */
    public static final double DAYS_SINCE_FRAUD_CAP = 60.0;
    /** Retrieval failed: nothing is known. */
    public static final MerchantContext MISSING = new MerchantContext(0, 0, 0, 0, 0, 0, DAYS_SINCE_FRAUD_CAP, true);
    /** A merchant with no labeled fraud and no transactions in any window. */
    public static final MerchantContext NOTHING_KNOWN = new MerchantContext(0, 0, 0, 0, 0, 0, DAYS_SINCE_FRAUD_CAP, false);

    static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    /**
     * The days since a fraud label, exactly as both context sources compute it, so that they agree bit for bit.
     *
     * @param lastFraudLabelMillis the latest fraud label time &lt;= asOf, or {@code Long.MIN_VALUE} for none
     */
    public static double daysSince(long lastFraudLabelMillis, long asOfMillis) {
        if (lastFraudLabelMillis == Long.MIN_VALUE) {
            return DAYS_SINCE_FRAUD_CAP;
        }
        return Math.min(DAYS_SINCE_FRAUD_CAP, (asOfMillis - lastFraudLabelMillis) / (double) DAY_MILLIS);
    }

    /** Fraud labels in the window of {@code WINDOW_DAYS[window]} days. */
    public long fraud(int window) {
        return switch (window) {
            case 0 -> fraud1d;
            case 1 -> fraud7d;
            case 2 -> fraud30d;
            default -> throw new IllegalArgumentException("window index must be 0, 1 or 2: " + window);
        };
    }

    /** Transactions in the window of {@code WINDOW_DAYS[window]} days. */
    public long transactions(int window) {
        return switch (window) {
            case 0 -> transactions1d;
            case 1 -> transactions7d;
            case 2 -> transactions30d;
            default -> throw new IllegalArgumentException("window index must be 0, 1 or 2: " + window);
        };
    }

    /**
     * fraud / (transactions + 1) in a window. Not a rate of the same payments: labels arrive about a week after their
     * payments, so in a 1-day window this can exceed 1; the encoder clips it.
     */
    public double fraudRatio(int window) {
        return fraud(window) / (transactions(window) + 1.0);
    }
}
