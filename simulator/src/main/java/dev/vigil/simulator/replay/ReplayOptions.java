package dev.vigil.simulator.replay;

import dev.vigil.schemas.cli.Setting;
import java.time.Duration;
import java.util.Objects;

/**
 * How a replay runs. Build from {@link #defaults()} and the {@code with...} methods.
 *
 * @param window           the event-time range to publish
 * @param ratePerSecond    transactions per second of wall time; zero or less publishes as fast as possible
 * @param chargebacks      publish a chargeback for each fraud row, when the CSV has a label column
 * @param labelDelay       event time from a fraud transaction to its chargeback (the issuer's delay)
 * @param chargebackIssuer the {@code labeled_by} of the chargebacks
 * @param trailingLabels   publish, after the last transaction, the chargebacks whose time falls after it; when false
 *                         they are counted and dropped
 * @param progressInterval wall time between progress reports
 * @param cardholder       which frauds their cardholders report (source CARDHOLDER) before the chargeback, and when;
 *                         published when chargebacks are
 */
public record ReplayOptions(
        ReplayWindow window,
        double ratePerSecond,
        boolean chargebacks,
        Duration labelDelay,
        String chargebackIssuer,
        boolean trailingLabels,
        Duration progressInterval,
        CardholderReports cardholder) {

    public static final Setting<Duration> LABEL_DELAY = Setting.nonNegativeDuration("label-delay", Duration.ofDays(7),
            "Event time from a fraud transaction to its chargeback (7d, 36h, 30m, PT1H).");
    public static final Duration DEFAULT_LABEL_DELAY = LABEL_DELAY.defaultValue();
    public static final String DEFAULT_ISSUER = "issuer";

    public ReplayOptions {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(labelDelay, "labelDelay");
        Objects.requireNonNull(chargebackIssuer, "chargebackIssuer");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(cardholder, "cardholder");
        LABEL_DELAY.check(labelDelay);
        if (Double.isNaN(ratePerSecond) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("the rate must be a finite number: " + ratePerSecond);
        }
    }

    /**
     * The whole file, as fast as possible, chargebacks 7 days late from "issuer", half the frauds reported by their
     * cardholders first ({@link CardholderReports#defaults()}), trailing labels published.
     */
    public static ReplayOptions defaults() {
        return new ReplayOptions(ReplayWindow.ALL, 0, true, DEFAULT_LABEL_DELAY, DEFAULT_ISSUER, true,
                Duration.ofSeconds(2), CardholderReports.defaults());
    }

    public ReplayOptions withCardholderReports(CardholderReports cardholder) {
        return new ReplayOptions(window, ratePerSecond, chargebacks, labelDelay, chargebackIssuer, trailingLabels,
                progressInterval, cardholder);
    }

    public ReplayOptions withWindow(ReplayWindow window) {
        return new ReplayOptions(window, ratePerSecond, chargebacks, labelDelay, chargebackIssuer, trailingLabels,
                progressInterval, cardholder);
    }

    public ReplayOptions withRate(double ratePerSecond) {
        return new ReplayOptions(window, ratePerSecond, chargebacks, labelDelay, chargebackIssuer, trailingLabels,
                progressInterval, cardholder);
    }

    public ReplayOptions withChargebacks(boolean chargebacks) {
        return new ReplayOptions(window, ratePerSecond, chargebacks, labelDelay, chargebackIssuer, trailingLabels,
                progressInterval, cardholder);
    }

    public ReplayOptions withLabelDelay(Duration labelDelay) {
        return new ReplayOptions(window, ratePerSecond, chargebacks, labelDelay, chargebackIssuer, trailingLabels,
                progressInterval, cardholder);
    }

    public ReplayOptions withChargebackIssuer(String chargebackIssuer) {
        return new ReplayOptions(window, ratePerSecond, chargebacks, labelDelay, chargebackIssuer, trailingLabels,
                progressInterval, cardholder);
    }

    public ReplayOptions withTrailingLabels(boolean trailingLabels) {
        return new ReplayOptions(window, ratePerSecond, chargebacks, labelDelay, chargebackIssuer, trailingLabels,
                progressInterval, cardholder);
    }

    public ReplayOptions withProgressInterval(Duration progressInterval) {
        return new ReplayOptions(window, ratePerSecond, chargebacks, labelDelay, chargebackIssuer, trailingLabels,
                progressInterval, cardholder);
    }
}
