package dev.vigil.simulator.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Scenario {@link Scenario#COMPROMISED_CARD} (the Handbook's compromised card): a card's details are stolen and for
 * {@value #DAYS} days a fraudster spends on it beside its owner, half as often as the owner, so about a third of the
 * card's payments are fraud. The fraudster buys resellable goods for two to five times what the owner would pay,
 * mostly online from one device of their own somewhere in the region, sometimes with a cloned card in the owner's city.
 * The schedule starts {@value #DAYS} days before the run, so the first day already has the steady share.
 */
final class CompromisedCards {

    static final int DAYS = 14;
    /** New compromises per card per day. */
    static final double PER_CARD_PER_DAY = 0.0003;
    /** Fraudulent payments per genuine one while compromised: 0.5 makes fraud a third of the card's payments. */
    static final double FRAUD_PER_GENUINE = 0.5;
    static final double ONLINE_SHARE = 0.7;
    static final double MIN_INFLATION = 2.0;
    static final double MAX_INFLATION = 5.0;
    /** Cards this quiet would hardly show the scenario. */
    static final double MIN_PAYMENTS_PER_DAY = 0.5;
    static final Category[] ONLINE_TARGETS = {
        Category.ONLINE_RETAIL, Category.ELECTRONICS, Category.CLOTHING, Category.GAMING, Category.DIGITAL_GOODS,
        Category.TRAVEL};
    static final Category[] CARD_PRESENT_TARGETS = {Category.ELECTRONICS, Category.CLOTHING, Category.GROCERY};
    private static final FraudTargets TARGETS = new FraudTargets(ONLINE_SHARE, ONLINE_TARGETS, CARD_PRESENT_TARGETS);
    private static final int NEVER = Integer.MIN_VALUE;

    private final World world;
    private final Spending spending;
    private final Devices devices;
    private final int[] since;
    private final int[] fraudDevice;
    private final int[] fraudCity;
    private final IncidentSchedule schedule;
    private int warmUpIncidents;

    CompromisedCards(World world, Spending spending, Devices devices, long seed) {
        this.world = world;
        this.spending = spending;
        this.devices = devices;
        int n = world.cards.size();
        this.since = new int[n];
        this.fraudDevice = new int[n];
        this.fraudCity = new int[n];
        Arrays.fill(since, NEVER);
        SplittableRandom setup = Draw.stream(seed, -DAYS - 1, DayGenerator.PART_CARD_COMPROMISE);
        this.schedule = new IncidentSchedule(n * PER_CARD_PER_DAY, setup.nextDouble());
        for (int day = -DAYS; day < 0; day++) {
            warmUpIncidents += compromise(day, Draw.stream(seed, day, DayGenerator.PART_CARD_COMPROMISE));
        }
    }

    void beginDay(DayBuffer today, SplittableRandom rng) {
        int started = compromise(today.day, rng) + warmUpIncidents;
        warmUpIncidents = 0;
        for (int i = 0; i < started; i++) {
            today.incident(Scenario.COMPROMISED_CARD);
        }
    }

    boolean compromised(int card, int day) {
        int from = since[card];
        return from != NEVER && day >= from && day < from + DAYS;
    }

    /** The fraudster's payments on a compromised card today, given the owner's mean number of payments today. */
    void spend(Card card, double ownerMeanToday, DayBuffer today, SplittableRandom rng) {
        int n = Draw.poisson(rng, ownerMeanToday * FRAUD_PER_GENUINE);
        for (int i = 0; i < n; i++) {
            FraudTargets.Target target = TARGETS.draw(card, spending, rng);
            Category category = target.category();
            double amount = Draw.logNormal(rng, card.typicalAmount(category), category.amountSpread() / 2)
                    * Draw.uniform(rng, MIN_INFLATION, MAX_INFLATION);
            if (target.online()) {
                City where = world.cities.get(fraudCity[card.index()]);
                int second = Spending.utcSecond(DailyRhythm.ONLINE.localSecond(rng), where);
                double lat = World.scatterLat(where.lat(), World.FOREIGN_SCATTER_KM, rng);
                double lon = World.scatterLon(where.lat(), where.lon(), World.FOREIGN_SCATTER_KM, rng);
                int device = fraudDevice[card.index()];
                today.add(second, card.index(), target.merchant(), amount, device, lat, lon,
                        Scenario.COMPROMISED_CARD);
            } else {
                target.payInShop(world, card, amount, Scenario.COMPROMISED_CARD, today, rng);
            }
        }
    }

    private int compromise(int day, SplittableRandom rng) {
        int n = schedule.next();
        int started = 0;
        for (int i = 0; i < n; i++) {
            for (int attempt = 0; attempt < 50; attempt++) {
                int card = rng.nextInt(world.cards.size());
                if (!compromised(card, day) && world.cards.get(card).paymentsPerDay() >= MIN_PAYMENTS_PER_DAY) {
                    since[card] = day;
                    fraudDevice[card] = devices.create();
                    fraudCity[card] = world.randomCity(rng);
                    started++;
                    break;
                }
            }
        }
        return started;
    }
}
