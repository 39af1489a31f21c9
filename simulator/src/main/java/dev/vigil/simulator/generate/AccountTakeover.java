package dev.vigil.simulator.generate;

import java.util.SplittableRandom;

/**
 * Scenario {@link Scenario#ACCOUNT_TAKEOVER}: someone takes over the cardholder's online account (wallet, shop
 * account) and spends fast: {@value #MIN_PAYMENTS}-{@value #MAX_PAYMENTS} online payments a few minutes apart, from a
 * device the card never used, connecting from far away: another continent, or the other end of Europe.
 */
final class AccountTakeover {

    /** Incidents per card per day. */
    static final double PER_CARD_PER_DAY = 0.0005;
    static final int MIN_PAYMENTS = 3;
    static final int MAX_PAYMENTS = 8;
    /** Share of takeovers from outside the region; the rest come from a region city at least this far from home. */
    static final double FAR_AWAY_SHARE = 0.7;
    static final double MIN_DISTANCE_KM = 800;
    static final double MIN_FACTOR = 1.5;
    static final double MAX_FACTOR = 5.0;
    static final Category[] TARGETS = {
        Category.ELECTRONICS, Category.ONLINE_RETAIL, Category.GAMING, Category.DIGITAL_GOODS, Category.TRAVEL};
    static final double[] TARGET_WEIGHTS = {3, 3, 2, 2, 1};
    private static final int LONGEST_SECONDS = MAX_PAYMENTS * 25 * 60;

    private final World world;
    private final Spending spending;
    private final Devices devices;

    AccountTakeover(World world, Spending spending, Devices devices) {
        this.world = world;
        this.spending = spending;
        this.devices = devices;
    }

    void inject(DayBuffer today, SplittableRandom rng) {
        int n = Draw.poisson(rng, world.cards.size() * PER_CARD_PER_DAY);
        for (int i = 0; i < n; i++) {
            Card card = world.cards.get(rng.nextInt(world.cards.size()));
            int device = devices.create();
            City where = origin(card, rng);
            double lat = World.scatterLat(where.lat(), World.FOREIGN_SCATTER_KM, rng);
            double lon = World.scatterLon(where.lat(), where.lon(), World.FOREIGN_SCATTER_KM, rng);
            int second = rng.nextInt(86_400 - LONGEST_SECONDS);
            int payments = MIN_PAYMENTS + rng.nextInt(MAX_PAYMENTS - MIN_PAYMENTS + 1);
            for (int p = 0; p < payments; p++) {
                Category category = TARGETS[Draw.weighted(TARGET_WEIGHTS, rng)];
                int merchant = spending.anyMerchant(Channel.ONLINE, card.homeCity(), category, rng);
                double amount = card.typicalAmount(category) * Draw.uniform(rng, MIN_FACTOR, MAX_FACTOR);
                today.add(second, card.index(), merchant, amount, device, lat, lon, Scenario.ACCOUNT_TAKEOVER);
                second += 60 + rng.nextInt(24 * 60);
            }
            today.incident(Scenario.ACCOUNT_TAKEOVER);
        }
    }

    private City origin(Card card, SplittableRandom rng) {
        if (rng.nextDouble() >= FAR_AWAY_SHARE) {
            for (int attempt = 0; attempt < 10; attempt++) {
                City city = world.cities.get(rng.nextInt(world.cities.size()));
                if (City.distanceKm(card.lat(), card.lon(), city.lat(), city.lon()) >= MIN_DISTANCE_KM) {
                    return city;
                }
            }
        }
        return Geography.FAR_AWAY.get(rng.nextInt(Geography.FAR_AWAY.size()));
    }
}
