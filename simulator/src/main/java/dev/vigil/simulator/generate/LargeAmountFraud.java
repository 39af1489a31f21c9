package dev.vigil.simulator.generate;

import java.util.SplittableRandom;

/**
 * Scenario {@link Scenario#LARGE_AMOUNT}: one payment four to twelve times what the card usually pays in its
 * category, for goods that resell. Mostly online from a device the card never used, somewhere in the region;
 * sometimes with a cloned card in a shop of the owner's city, where only the amount stands out. Genuine big tickets
 * (a laptop, a holiday) are about as large, so amount alone does not decide.
 */
final class LargeAmountFraud {

    /** Incidents per card per day. */
    static final double PER_CARD_PER_DAY = 0.0018;
    static final double ONLINE_SHARE = 0.65;
    static final double MIN_FACTOR = 4.0;
    static final double MAX_FACTOR = 12.0;
    static final Category[] ONLINE_TARGETS = {
        Category.ELECTRONICS, Category.ONLINE_RETAIL, Category.TRAVEL, Category.CLOTHING};
    static final Category[] CARD_PRESENT_TARGETS = {Category.ELECTRONICS, Category.CLOTHING};
    private static final FraudTargets TARGETS = new FraudTargets(ONLINE_SHARE, ONLINE_TARGETS, CARD_PRESENT_TARGETS);

    private final World world;
    private final Spending spending;
    private final Devices devices;

    LargeAmountFraud(World world, Spending spending, Devices devices) {
        this.world = world;
        this.spending = spending;
        this.devices = devices;
    }

    void inject(DayBuffer today, SplittableRandom rng) {
        int n = Draw.poisson(rng, world.cards.size() * PER_CARD_PER_DAY);
        for (int i = 0; i < n; i++) {
            Card card = world.cards.get(rng.nextInt(world.cards.size()));
            FraudTargets.Target target = TARGETS.draw(card, spending, rng);
            double amount = card.typicalAmount(target.category()) * Draw.uniform(rng, MIN_FACTOR, MAX_FACTOR);
            if (target.online()) {
                City where = world.cities.get(world.randomCity(rng));
                int second = Spending.utcSecond(DailyRhythm.FLAT.localSecond(rng), where);
                double lat = World.scatterLat(where.lat(), World.FOREIGN_SCATTER_KM, rng);
                double lon = World.scatterLon(where.lat(), where.lon(), World.FOREIGN_SCATTER_KM, rng);
                today.add(second, card.index(), target.merchant(), amount, devices.create(), lat, lon,
                        Scenario.LARGE_AMOUNT);
            } else {
                target.payInShop(world, card, amount, Scenario.LARGE_AMOUNT, today, rng);
            }
            today.incident(Scenario.LARGE_AMOUNT);
        }
    }
}
