package dev.vigil.simulator.generate;

import java.util.SplittableRandom;

/**
 * How cardholders spend: which category, which merchant, how much, at what time. Fraud scenarios borrow these draws
 * where fraudsters behave like customers.
 */
final class Spending {

    /** Share of a card's payments at its own regular merchants (a few per category). */
    static final double REGULAR_SHARE = 0.7;
    static final int REGULARS_PER_CATEGORY = 3;
    /** Share of payments in big-ticket categories that cost several times the usual (a laptop, a holiday). */
    static final double BIG_TICKET_SHARE = 0.03;
    static final double BIG_TICKET_MIN = 3.0;
    static final double BIG_TICKET_MAX = 10.0;
    /** App-store prices: tiny genuine amounts, so that a tiny amount alone does not mean card testing. */
    static final double[] PRICE_POINTS = {0.99, 1.99, 2.99, 4.99, 9.99, 12.99};
    static final double PRICE_POINT_SHARE = 0.35;
    /** Share of fuel payments prepaid at the pump for a round amount. */
    static final double ROUND_FUEL_SHARE = 0.15;

    private static final Category[] CATEGORIES = Category.values();

    private final World world;
    private final long seed;
    private final double[] weights = new double[CATEGORIES.length];

    Spending(World world, long seed) {
        this.world = world;
        this.seed = seed;
    }

    /** A category for a genuine payment of this card in this channel. */
    Category category(Card card, Channel channel, boolean weekend, SplittableRandom rng) {
        for (Category c : CATEGORIES) {
            weights[c.ordinal()] = c.weight(channel) * card.preference(c) * (weekend ? c.weekendFactor() : 1.0);
        }
        return CATEGORIES[Draw.weighted(weights, rng)];
    }

    /**
     * A merchant of the category in the channel, near {@code city} if card present: with {@code regular}, mostly one of
     * the card's own few regular merchants (the same ones all run long), otherwise any, as likely as it is popular.
     */
    int merchant(Card card, Channel channel, int city, Category category, boolean regular, SplittableRandom rng) {
        MerchantPool pool = world.pool(channel, city, category);
        if (regular && rng.nextDouble() < REGULAR_SHARE) {
            int slot = rng.nextInt(REGULARS_PER_CATEGORY);
            return pool.pick(Draw.unit(seed, card.index(), category.ordinal() * 2L + channel.ordinal(), slot));
        }
        return pool.pick(rng.nextDouble());
    }

    /** A merchant of the category anywhere the channel allows, as likely as it is popular. */
    int anyMerchant(Channel channel, int city, Category category, SplittableRandom rng) {
        return world.pool(channel, city, category).pick(rng.nextDouble());
    }

    /** The amount of a genuine payment, in major units. */
    double amount(Card card, Category category, SplittableRandom rng) {
        if (category == Category.DIGITAL_GOODS && rng.nextDouble() < PRICE_POINT_SHARE) {
            return PRICE_POINTS[rng.nextInt(PRICE_POINTS.length)];
        }
        double amount = Draw.logNormal(rng, card.typicalAmount(category), category.amountSpread());
        if (category.hasBigTickets() && rng.nextDouble() < BIG_TICKET_SHARE) {
            amount *= Draw.uniform(rng, BIG_TICKET_MIN, BIG_TICKET_MAX);
        }
        if (category == Category.FUEL && rng.nextDouble() < ROUND_FUEL_SHARE) {
            amount = Math.max(10, 10 * Math.round(amount / 10));
        }
        return amount;
    }

    /** The UTC second of the day of a local second in a place. */
    static int utcSecond(int localSecond, City where) {
        return Math.floorMod(localSecond - where.utcOffsetMinutes() * 60, 86_400);
    }
}
