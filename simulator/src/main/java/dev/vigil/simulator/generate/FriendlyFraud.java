package dev.vigil.simulator.generate;

import java.util.SplittableRandom;

/**
 * Scenario {@link Scenario#FRIENDLY_FRAUD} (first-party fraud): a few cardholders ({@link Card#disputer()}) now and
 * then buy something online, with their own device, from home, a bit dearer than usual, and then dispute it as "not
 * me". Nothing at payment time tells it from genuine spending but the holder's own record and the category: the
 * hard, noisy part of the labels that keeps any model honest.
 */
final class FriendlyFraud {

    /** Share of a disputer's online purchases in the disputed categories that they dispute. */
    static final double DISPUTE_SHARE = 0.2;
    static final double MIN_INFLATION = 1.3;
    static final double MAX_INFLATION = 3.0;

    private FriendlyFraud() {
    }

    /** Whether a disputer's online purchase in this category will be disputed. */
    static boolean disputes(Category category, SplittableRandom rng) {
        boolean disputable = switch (category) {
            case ELECTRONICS, ONLINE_RETAIL, CLOTHING, GAMING, DIGITAL_GOODS -> true;
            default -> false;
        };
        return disputable && rng.nextDouble() < DISPUTE_SHARE;
    }

    /** Disputed purchases tend to be the dearer ones. */
    static double amount(double usual, SplittableRandom rng) {
        return usual * Draw.uniform(rng, MIN_INFLATION, MAX_INFLATION);
    }
}
