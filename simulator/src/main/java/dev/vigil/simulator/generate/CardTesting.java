package dev.vigil.simulator.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Scenario {@link Scenario#CARD_TESTING}: a fraudster with a stolen card number checks that it works with a burst of
 * {@value #MIN_TESTS}-{@value #MAX_TESTS} tiny online payments at as many different merchants, seconds to two minutes
 * apart, from one new device; ten minutes to an hour later comes the cash-out, one large payment.
 */
final class CardTesting {

    /** Incidents per card per day. */
    static final double PER_CARD_PER_DAY = 0.00018;
    static final int MIN_TESTS = 5;
    static final int MAX_TESTS = 15;
    static final double[] COMMON_TEST_AMOUNTS = {0.50, 1.00, 1.50, 2.00};
    static final double MAX_TEST_AMOUNT = 3.0;
    static final double MIN_CASH_OUT = 250;
    static final double MAX_CASH_OUT = 1500;
    /** Share of testers who connect from outside the region. */
    static final double FAR_AWAY_SHARE = 0.5;
    static final Category[] TEST_TARGETS = {Category.DIGITAL_GOODS, Category.GAMING, Category.ONLINE_RETAIL};
    static final Category[] CASH_OUT_TARGETS = {Category.ELECTRONICS, Category.ONLINE_RETAIL, Category.TRAVEL};
    /** Room left at the end of the day so the whole incident happens on its day. */
    private static final int LONGEST_SECONDS = MAX_TESTS * 120 + 3600;

    private final World world;
    private final Spending spending;
    private final Devices devices;

    CardTesting(World world, Spending spending, Devices devices) {
        this.world = world;
        this.spending = spending;
        this.devices = devices;
    }

    void inject(DayBuffer today, SplittableRandom rng) {
        int n = Draw.poisson(rng, world.cards.size() * PER_CARD_PER_DAY);
        int[] tested = new int[n];
        Arrays.fill(tested, -1);
        for (int i = 0; i < n; i++) {
            int card = rng.nextInt(world.cards.size());
            if (contains(tested, i, card)) {
                continue; // one test run per card per day keeps incidents apart
            }
            tested[i] = card;
            int device = devices.create();
            City where = rng.nextDouble() < FAR_AWAY_SHARE
                    ? Geography.FAR_AWAY.get(rng.nextInt(Geography.FAR_AWAY.size()))
                    : world.cities.get(world.randomCity(rng));
            double lat = World.scatterLat(where.lat(), World.FOREIGN_SCATTER_KM, rng);
            double lon = World.scatterLon(where.lat(), where.lon(), World.FOREIGN_SCATTER_KM, rng);
            int second = rng.nextInt(86_400 - LONGEST_SECONDS);
            int tests = MIN_TESTS + rng.nextInt(MAX_TESTS - MIN_TESTS + 1);
            int[] used = new int[tests];
            for (int t = 0; t < tests; t++) {
                int merchant = distinctMerchant(used, t, rng);
                used[t] = merchant;
                double amount = rng.nextBoolean()
                        ? COMMON_TEST_AMOUNTS[rng.nextInt(COMMON_TEST_AMOUNTS.length)]
                        : Draw.uniform(rng, 0.30, MAX_TEST_AMOUNT);
                today.add(second, card, merchant, amount, device, lat, lon, Scenario.CARD_TESTING);
                second += 10 + rng.nextInt(110);
            }
            second += 600 + rng.nextInt(3000);
            Category cashOut = CASH_OUT_TARGETS[rng.nextInt(CASH_OUT_TARGETS.length)];
            int merchant = spending.anyMerchant(Channel.ONLINE, 0, cashOut, rng);
            today.add(second, card, merchant, Draw.uniform(rng, MIN_CASH_OUT, MAX_CASH_OUT), device, lat, lon,
                    Scenario.CARD_TESTING);
            today.incident(Scenario.CARD_TESTING);
        }
    }

    private int distinctMerchant(int[] used, int count, SplittableRandom rng) {
        int merchant = -1;
        for (int attempt = 0; attempt < 20; attempt++) {
            Category category = TEST_TARGETS[rng.nextInt(TEST_TARGETS.length)];
            merchant = spending.anyMerchant(Channel.ONLINE, 0, category, rng);
            if (!contains(used, count, merchant)) {
                return merchant;
            }
        }
        return merchant;
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }
}
