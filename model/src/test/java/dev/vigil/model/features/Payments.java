package dev.vigil.model.features;

import java.time.Duration;
import java.time.Instant;

/** Hand-built payments for the tests. */
final class Payments {

    static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");
    private static int next;

    private Payments() {
    }

    /** A card-present payment of {@code amount} EUR with every optional field set, at T0 + offset. */
    static Payment at(Duration offset, String card, String merchant, double amount) {
        return new Payment("p" + (next++), T0.plus(offset), card, merchant, Math.round(amount * 100), "EUR",
                "grocery", "FR", "card_present", null, 48.85, 2.35);
    }

    /** An online payment from a device. */
    static Payment online(Duration offset, String card, String merchant, double amount, String device) {
        return new Payment("p" + (next++), T0.plus(offset), card, merchant, Math.round(amount * 100), "EUR",
                "online_retail", "FR", "online", device, 48.86, 2.36);
    }

    /** Only the required fields. */
    static Payment bare(Duration offset, String card, String merchant, long amountMinor) {
        return new Payment("p" + (next++), T0.plus(offset), card, merchant, amountMinor, "EUR",
                null, null, null, null, null, null);
    }

    static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    static Duration hours(long h) {
        return Duration.ofHours(h);
    }

    static Duration days(long d) {
        return Duration.ofDays(d);
    }
}
