package dev.vigil.simulator.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The switchable {@link Scenario#MERCHANT_WAVE}: from its start day, a ring compromises fuel stations, one after the
 * other, and for {@value #DAYS} days cashes out cloned cards at each at night (local {@value #NIGHT_START_HOUR}:00 to
 * 05:00): a few card-present fill-ups a few minutes apart, often a round prepaid amount, on cards from a
 * neighbouring city. The stations' own customers keep paying genuinely beside it.
 * <p>
 * Nothing before the wave looks like it: no other scenario touches fuel stations, no other card-present fraud happens
 * at night or away from the card's city. So a model trained before the wave has no reason to catch it, and one
 * updated with its labels can learn it (category, hour, amount, distance from home, the station's recent frauds).
 */
final class MerchantWave {

    static final Category CATEGORY = Category.FUEL;
    static final int DAYS = 21;
    /** New wave stations per fuel station per day. */
    static final double NEW_PER_STATION_PER_DAY = 0.01;
    static final double MIN_NEW_PER_DAY = 0.25;
    /** Wave frauds per station per night, relative to an average merchant's genuine payments per day. */
    static final double NIGHTLY_SHARE_OF_MERCHANT_TRAFFIC = 0.2;
    static final int NIGHT_START_HOUR = 23;
    static final int NIGHT_HOURS = 6;
    static final double[] ROUND_AMOUNTS = {60, 70, 80, 90, 100, 120, 150};
    static final double ROUND_SHARE = 0.5;
    static final double MIN_AMOUNT = 60;
    static final double MAX_AMOUNT = 150;
    private static final int NEVER = Integer.MIN_VALUE;

    private final World world;
    private final int startDay;
    private final int[] stations;
    private final int[] stationCity;
    private final int[] since;
    private final List<Integer> active = new ArrayList<>();
    private final IncidentSchedule schedule;
    private final double nightlyMean;

    MerchantWave(World world, int startDay) {
        this.world = world;
        this.startDay = startDay;
        this.stations = world.merchants.stream()
                .filter(m -> m.category() == CATEGORY && m.channel() == Channel.CARD_PRESENT)
                .mapToInt(Merchant::index)
                .toArray();
        this.stationCity = Arrays.stream(stations)
                .map(m -> world.cities.indexOf(world.merchants.get(m).city()))
                .toArray();
        this.since = new int[stations.length];
        Arrays.fill(since, NEVER);
        this.schedule = new IncidentSchedule(
                Math.max(MIN_NEW_PER_DAY, stations.length * NEW_PER_STATION_PER_DAY), 0);
        double paymentsPerDay = world.cards.stream().mapToDouble(Card::paymentsPerDay).sum();
        this.nightlyMean = NIGHTLY_SHARE_OF_MERCHANT_TRAFFIC * paymentsPerDay / world.merchants.size();
    }

    void beginDay(DayBuffer today, SplittableRandom rng) {
        if (today.day < startDay) {
            return;
        }
        active.removeIf(s -> today.day >= since[s] + DAYS);
        int n = schedule.next();
        if (today.day == startDay) {
            n = Math.max(1, n); // the first station falls on the start day itself
        }
        for (int i = 0; i < n; i++) {
            for (int attempt = 0; attempt < 50; attempt++) {
                int s = rng.nextInt(stations.length);
                if (since[s] == NEVER) {
                    since[s] = today.day;
                    active.add(s);
                    today.incident(Scenario.MERCHANT_WAVE);
                    break;
                }
            }
        }
    }

    void inject(DayBuffer today, SplittableRandom rng) {
        for (int s : active) {
            Merchant station = world.merchants.get(stations[s]);
            int[] cards = world.cardsOf(world.neighbourCity(stationCity[s]));
            int frauds = 1 + Draw.poisson(rng, Math.max(0, nightlyMean - 1));
            // A session in the first half of the night, a few minutes between fill-ups; busier nights, shorter gaps.
            int halfNight = NIGHT_HOURS * 3600 / 2;
            int gap = Math.max(60, Math.min(35 * 60, halfNight / frauds));
            int local = NIGHT_START_HOUR * 3600 + rng.nextInt(halfNight);
            for (int f = 0; f < frauds; f++) {
                int card = cards.length > 0 ? cards[rng.nextInt(cards.length)] : rng.nextInt(world.cards.size());
                double amount = rng.nextDouble() < ROUND_SHARE
                        ? ROUND_AMOUNTS[rng.nextInt(ROUND_AMOUNTS.length)]
                        : Draw.uniform(rng, MIN_AMOUNT, MAX_AMOUNT);
                today.add(Spending.utcSecond(local % 86_400, station.city()), card, station.index(), amount,
                        DayBuffer.NO_DEVICE, station.lat(), station.lon(), Scenario.MERCHANT_WAVE);
                local += 3 * 60 + rng.nextInt(gap);
            }
        }
    }
}
