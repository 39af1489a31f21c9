package dev.vigil.simulator.replay;

import dev.vigil.schemas.cli.Setting;
import dev.vigil.schemas.digest.StableDraw;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a fraud's cardholder reports it: a share of the frauds is reported (a call to the bank, a tap in the banking
 * app after a transaction notification), after a delay drawn from a log-normal distribution; the rest are known only
 * from their chargeback ({@link ReplayOptions#labelDelay}). The draws are a hash of the transaction id, not a random
 * number: the same history gives the same reports, in every replay, the demo and {@code ./vigil bench feedback}.
 *
 * <p>Where the defaults come from: no public data set gives the delay from a card fraud to the cardholder's report
 * per transaction, so they are an assumption, stated here to be replaced by an issuer's own numbers. Card-not-present
 * fraud is mostly found by the cardholder, from a transaction notification within hours or from the statement within
 * weeks; disputes may be filed up to 60 days after the statement (Regulation Z / the Fair Credit Billing Act), and the
 * chargeback itself follows the dispute. Half the frauds reported (the other half left to the chargeback), with a
 * median delay of a day and a log-normal spread of sigma = 1 (10% within 7 hours, 90% within 3.6 days, 1% after 10
 * days; never sooner than {@link #MINIMUM}) is the middle of that picture, not a measurement.
 *
 * @param share  of the frauds, reported by their cardholder, in [0, 1]; 0 turns the reports off (the Handbook's
 *               protocol: every label a fixed delay after the payment)
 * @param median of the delay from the payment to the report
 * @param sigma  of the delay's logarithm
 */
public record CardholderReports(double share, Duration median, double sigma) {

    /** No report comes sooner than this after its payment. */
    public static final Duration MINIMUM = Duration.ofMinutes(30);
    public static final String REPORTED_BY = "cardholder";
    /** Seeds of the three draws of a transaction id: reported or not, then the delay's two uniforms. */
    private static final long SHARE_SEED = 0x5eedL;
    private static final long DELAY_SEED_1 = 0xa11ceL;
    private static final long DELAY_SEED_2 = 0xb0bL;

    public static final Setting<Double> SHARE = Setting.between("cardholder-share", 0.5, 0, false, 1, false,
            "Share of the frauds their cardholder reports (source CARDHOLDER), before the chargeback; 0: none.");
    public static final Setting<Duration> MEDIAN = Setting.nonNegativeDuration("cardholder-delay", Duration.ofDays(1),
            "Median event time from a fraud to its cardholder's report (log-normal).");
    public static final Setting<Double> SIGMA = Setting.between("cardholder-delay-sigma", 1.0, 0, false, 4, false,
            "Spread of the report delay's logarithm (0: every report after exactly the median).");

    public CardholderReports {
        Objects.requireNonNull(median, "median");
        SHARE.check(share);
        MEDIAN.check(median);
        SIGMA.check(sigma);
    }

    /** Half the frauds, a median of a day, sigma 1 (see the class comment for where these come from). */
    public static CardholderReports defaults() {
        return new CardholderReports(SHARE.defaultValue(), MEDIAN.defaultValue(), SIGMA.defaultValue());
    }

    /** No cardholder reports: only chargebacks label the frauds. */
    public static CardholderReports none() {
        return new CardholderReports(0, MEDIAN.defaultValue(), SIGMA.defaultValue());
    }

    public boolean enabled() {
        return share > 0;
    }

    /** When the cardholder reports this fraud, or empty if they do not. */
    public Optional<Instant> reportTime(String transactionId, Instant eventTime) {
        if (share <= 0 || StableDraw.uniform(SHARE_SEED, transactionId) >= share) {
            return Optional.empty();
        }
        // Box-Muller on two more draws of the id: a standard normal
        double u1 = Math.max(StableDraw.uniform(DELAY_SEED_1, transactionId), 0x1.0p-53);
        double u2 = StableDraw.uniform(DELAY_SEED_2, transactionId);
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        double millis = median.toMillis() * Math.exp(sigma * z);
        long delay = Math.max(MINIMUM.toMillis(), Math.round(Math.min(millis, 3650d * 86_400_000d)));
        return Optional.of(eventTime.plusMillis(delay));
    }

}
