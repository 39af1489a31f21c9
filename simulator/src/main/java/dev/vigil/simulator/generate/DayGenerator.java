package dev.vigil.simulator.generate;

import dev.vigil.schemas.Money;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One run of the simulation, a day at a time: what changes as days go by (trips, devices, compromised cards and
 * merchants) lives here. Each day: incidents begin, every card spends (genuine payments, with the compromised-merchant
 * and friendly-fraud labels decided as they are made, plus the fraudster's payments on compromised cards), then the
 * injected scenarios add their payments, and the day is sorted by event time.
 * <p>
 * Every part draws from its own random stream per day, so switching the wave on leaves all the rest as it was.
 */
final class DayGenerator {

    static final int PART_WORLD = 0;
    static final int PART_GENUINE = 1;
    static final int PART_DEVICES = 2;
    static final int PART_MERCHANT_COMPROMISE = 3;
    static final int PART_CARD_COMPROMISE = 4;
    static final int PART_LARGE_AMOUNT = 5;
    static final int PART_CARD_TESTING = 6;
    static final int PART_ACCOUNT_TAKEOVER = 7;
    static final int PART_WAVE = 8;

    /** Payment volume by day of week, Monday first. */
    static final double[] DAY_OF_WEEK_VOLUME = {0.95, 0.95, 1.0, 1.0, 1.1, 1.15, 0.85};
    /** A holder sets off on a trip to another city of the region about three times a year, for two to seven days. */
    static final double TRIP_START_PER_DAY = 1.0 / 120;
    static final int TRIP_MIN_DAYS = 2;
    static final int TRIP_MAX_DAYS = 7;
    /** A holder replaces a phone about once every ten months, so a new device alone does not mean fraud. */
    static final double NEW_DEVICE_PER_DAY = 1.0 / 300;
    static final double SECOND_DEVICE_SHARE = 0.35;
    static final double SECOND_DEVICE_USE = 0.25;
    /** Share of a VPN user's online payments that appear to come from far away. */
    static final double VPN_ONLINE_SHARE = 0.4;
    /** How far an online payer's IP location lies from home. */
    static final double IP_SCATTER_KM = 3.0;
    private static final int NOT_TRAVELLING = Integer.MIN_VALUE;

    private final SimulationConfig config;
    private final World world;
    private final Spending spending;
    private final Devices devices = new Devices();
    private final int fractionDigits;
    private final double expectedPerDay;
    private final int[] device1;
    private final int[] device2;
    private final int[] tripCity;
    private final int[] tripUntil;
    private final CompromisedMerchants compromisedMerchants;
    private final CompromisedCards compromisedCards;
    private final LargeAmountFraud largeAmounts;
    private final CardTesting cardTesting;
    private final AccountTakeover takeovers;
    private final MerchantWave wave;
    private long nextSequence = 1;
    private int nextDay;

    DayGenerator(SimulationConfig config, World world) {
        this.config = config;
        this.world = world;
        this.spending = new Spending(world, config.seed());
        this.fractionDigits = Money.fractionDigits(config.currency());
        this.expectedPerDay = world.cards.stream().mapToDouble(Card::paymentsPerDay).sum();
        int n = world.cards.size();
        this.device1 = new int[n];
        this.device2 = new int[n];
        this.tripCity = new int[n];
        this.tripUntil = new int[n];
        Arrays.fill(tripUntil, NOT_TRAVELLING);
        SplittableRandom rng = Draw.stream(config.seed(), 0, PART_DEVICES);
        for (int c = 0; c < n; c++) {
            device1[c] = devices.create();
            device2[c] = rng.nextDouble() < SECOND_DEVICE_SHARE ? devices.create() : DayBuffer.NO_DEVICE;
        }
        this.compromisedMerchants = new CompromisedMerchants(world, config.seed());
        this.compromisedCards = new CompromisedCards(world, spending, devices, config.seed());
        this.largeAmounts = new LargeAmountFraud(world, spending, devices);
        this.cardTesting = new CardTesting(world, spending, devices);
        this.takeovers = new AccountTakeover(world, spending, devices);
        this.wave = config.waveStartDay().isPresent()
                ? new MerchantWave(world, config.waveStartDay().getAsInt())
                : null;
    }

    boolean hasNext() {
        return nextDay < config.days();
    }

    SimulatedDay next() {
        int day = nextDay++;
        long seed = config.seed();
        LocalDate date = config.start().plusDays(day);
        DayBuffer today = new DayBuffer(day, config.startEpochSecond() + day * 86_400L, fractionDigits,
                (int) (expectedPerDay * 1.3) + 64);

        SplittableRandom merchantRng = Draw.stream(seed, day, PART_MERCHANT_COMPROMISE);
        SplittableRandom cardFraudRng = Draw.stream(seed, day, PART_CARD_COMPROMISE);
        SplittableRandom waveRng = Draw.stream(seed, day, PART_WAVE);
        compromisedMerchants.beginDay(today, merchantRng);
        compromisedCards.beginDay(today, cardFraudRng);
        if (wave != null) {
            wave.beginDay(today, waveRng);
        }

        DayOfWeek dow = date.getDayOfWeek();
        boolean weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY;
        double volume = DAY_OF_WEEK_VOLUME[dow.getValue() - 1];
        SplittableRandom genuine = Draw.stream(seed, day, PART_GENUINE);
        for (Card card : world.cards) {
            double mean = card.paymentsPerDay() * volume;
            spendDay(card, mean, weekend, today, genuine);
            if (compromisedCards.compromised(card.index(), day)) {
                compromisedCards.spend(card, mean, today, cardFraudRng);
            }
        }

        largeAmounts.inject(today, Draw.stream(seed, day, PART_LARGE_AMOUNT));
        cardTesting.inject(today, Draw.stream(seed, day, PART_CARD_TESTING));
        takeovers.inject(today, Draw.stream(seed, day, PART_ACCOUNT_TAKEOVER));
        if (wave != null) {
            wave.inject(today, waveRng);
        }

        SimulatedDay result = new SimulatedDay(date, nextSequence, today, world, config.currency(), seed);
        nextSequence += today.size;
        return result;
    }

    /** A card's genuine day: life events (a trip, a new phone), then its payments. */
    private void spendDay(Card card, double mean, boolean weekend, DayBuffer today, SplittableRandom rng) {
        int c = card.index();
        int day = today.day;
        if (tripUntil[c] < day && rng.nextDouble() < TRIP_START_PER_DAY) {
            int destination = world.randomCity(rng);
            if (destination != card.homeCity()) {
                tripCity[c] = destination;
                tripUntil[c] = day + TRIP_MIN_DAYS - 1 + rng.nextInt(TRIP_MAX_DAYS - TRIP_MIN_DAYS + 1);
            }
        }
        if (rng.nextDouble() < NEW_DEVICE_PER_DAY) {
            if (device2[c] != DayBuffer.NO_DEVICE && rng.nextBoolean()) {
                device2[c] = devices.create();
            } else {
                device1[c] = devices.create();
            }
        }
        int city = tripUntil[c] >= day ? tripCity[c] : card.homeCity();
        int payments = Draw.poisson(rng, mean);
        for (int i = 0; i < payments; i++) {
            pay(card, city, weekend, today, rng);
        }
    }

    /** One genuine payment; it is fraud if the merchant is compromised today or the holder will dispute it. */
    private void pay(Card card, int city, boolean weekend, DayBuffer today, SplittableRandom rng) {
        int c = card.index();
        boolean atHome = city == card.homeCity();
        Channel channel = rng.nextDouble() < card.onlineShare() ? Channel.ONLINE : Channel.CARD_PRESENT;
        Category category = spending.category(card, channel, weekend, rng);
        int merchant = spending.merchant(card, channel, city, category, channel == Channel.ONLINE || atHome, rng);
        double amount = spending.amount(card, category, rng);
        City here = world.cities.get(city);
        int second;
        int device;
        double lat;
        double lon;
        if (channel == Channel.ONLINE) {
            boolean usesSecond = device2[c] != DayBuffer.NO_DEVICE && rng.nextDouble() < SECOND_DEVICE_USE;
            device = usesSecond ? device2[c] : device1[c];
            second = Spending.utcSecond(DailyRhythm.ONLINE.localSecond(rng), here);
            if (card.vpnUser() && rng.nextDouble() < VPN_ONLINE_SHARE) {
                City exit = Geography.FAR_AWAY.get(rng.nextInt(Geography.FAR_AWAY.size()));
                lat = World.scatterLat(exit.lat(), World.FOREIGN_SCATTER_KM, rng);
                lon = World.scatterLon(exit.lat(), exit.lon(), World.FOREIGN_SCATTER_KM, rng);
            } else if (atHome) {
                lat = World.scatterLat(card.lat(), IP_SCATTER_KM, rng);
                lon = World.scatterLon(card.lat(), card.lon(), IP_SCATTER_KM, rng);
            } else {
                lat = World.scatterLat(here.lat(), World.HOME_SCATTER_KM, rng);
                lon = World.scatterLon(here.lat(), here.lon(), World.HOME_SCATTER_KM, rng);
            }
        } else {
            Merchant shop = world.merchants.get(merchant);
            device = DayBuffer.NO_DEVICE;
            second = Spending.utcSecond(category.rhythm(channel).localSecond(rng), shop.city());
            lat = shop.lat();
            lon = shop.lon();
        }
        Scenario what = Scenario.LEGIT;
        if (compromisedMerchants.compromised(merchant, today.day)) {
            what = Scenario.COMPROMISED_MERCHANT;
        } else if (card.disputer() && channel == Channel.ONLINE && FriendlyFraud.disputes(category, rng)) {
            what = Scenario.FRIENDLY_FRAUD;
            amount = FriendlyFraud.amount(amount, rng);
            today.incident(Scenario.FRIENDLY_FRAUD);
        }
        today.add(second, c, merchant, amount, device, lat, lon, what);
    }
}
