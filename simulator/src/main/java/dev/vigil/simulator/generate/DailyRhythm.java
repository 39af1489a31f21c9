package dev.vigil.simulator.generate;

import java.util.SplittableRandom;

/** When in the local day people pay: relative weights per local hour, 0-23. */
enum DailyRhythm {
    /** Shops: closed at night, a lunchtime and an after-work peak. */
    SHOP(0, 0, 0, 0, 0, 0, 0, 1, 3, 5, 7, 8, 9, 8, 7, 7, 8, 9, 10, 8, 5, 2, 1, 0),
    /** Fuel stations: commuting peaks; a few stations stay open all night. */
    FUEL(1, 1, 1, 1, 1, 2, 5, 9, 9, 7, 6, 6, 6, 6, 6, 7, 9, 10, 9, 7, 5, 3, 2, 1),
    /** Restaurants and bars: lunch and dinner. */
    RESTAURANT(1, 0, 0, 0, 0, 0, 1, 2, 3, 2, 2, 5, 10, 10, 5, 2, 2, 4, 8, 10, 9, 6, 3, 2),
    /** Cinemas, concerts, events: afternoon and evening. */
    EVENING(1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 6, 6, 7, 9, 10, 9, 6, 3),
    /** Online shopping: all day, heaviest in the evening, a thin night tail. */
    ONLINE(3, 2, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 7, 6, 6, 6, 6, 7, 8, 10, 11, 11, 9, 6),
    /** Automated fraud does not sleep. */
    FLAT(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);

    private final double[] cumulative = new double[24];

    DailyRhythm(double... hourWeights) {
        double sum = 0;
        for (int h = 0; h < 24; h++) {
            sum += hourWeights[h];
            cumulative[h] = sum;
        }
    }

    /** A second of the local day, 0-86399. */
    int localSecond(SplittableRandom rng) {
        int hour = Draw.index(cumulative, rng.nextDouble() * cumulative[23]);
        return hour * 3600 + rng.nextInt(3600);
    }
}
