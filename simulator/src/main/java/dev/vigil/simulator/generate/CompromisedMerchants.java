package dev.vigil.simulator.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Scenario {@link Scenario#COMPROMISED_MERCHANT} (the Handbook's compromised terminal): a merchant's terminal is
 * compromised and every payment there in the following {@value #DAYS} days is fraud. The payments themselves are the
 * merchant's usual customers' usual purchases: only the merchant's history of fraud gives it away.
 * <p>
 * Small merchants (below the median popularity) are the ones compromised; fuel stations never are, before the wave.
 * The schedule starts {@value #DAYS} days before the run, so the first day already has the steady share of this fraud.
 */
final class CompromisedMerchants {

    static final int DAYS = 28;
    /** New compromises per merchant per day. */
    static final double PER_MERCHANT_PER_DAY = 0.00022;
    private static final int NEVER = Integer.MIN_VALUE;

    private final int[] since;
    private final int[] candidates;
    private final IncidentSchedule schedule;
    private int warmUpIncidents;

    CompromisedMerchants(World world, long seed) {
        this.since = new int[world.merchants.size()];
        Arrays.fill(since, NEVER);
        double[] popularity = world.merchants.stream().mapToDouble(Merchant::popularity).sorted().toArray();
        double median = popularity[popularity.length / 2];
        this.candidates = world.merchants.stream()
                .filter(m -> m.category() != MerchantWave.CATEGORY && m.popularity() < median)
                .mapToInt(Merchant::index)
                .toArray();
        SplittableRandom setup = Draw.stream(seed, -DAYS - 1, DayGenerator.PART_MERCHANT_COMPROMISE);
        this.schedule = new IncidentSchedule(world.merchants.size() * PER_MERCHANT_PER_DAY, setup.nextDouble());
        for (int day = -DAYS; day < 0; day++) {
            warmUpIncidents += compromise(day, Draw.stream(seed, day, DayGenerator.PART_MERCHANT_COMPROMISE));
        }
    }

    void beginDay(DayBuffer today, SplittableRandom rng) {
        int started = compromise(today.day, rng) + warmUpIncidents;
        warmUpIncidents = 0;
        for (int i = 0; i < started; i++) {
            today.incident(Scenario.COMPROMISED_MERCHANT);
        }
    }

    /** Whether payments at the merchant on this day are fraud. */
    boolean compromised(int merchant, int day) {
        int from = since[merchant];
        return from != NEVER && day >= from && day < from + DAYS;
    }

    private int compromise(int day, SplittableRandom rng) {
        int n = schedule.next();
        int started = 0;
        for (int i = 0; i < n; i++) {
            // A merchant is compromised once: a second compromise would blur the 28-day window.
            for (int attempt = 0; attempt < 50; attempt++) {
                int merchant = candidates[rng.nextInt(candidates.length)];
                if (since[merchant] == NEVER) {
                    since[merchant] = day;
                    started++;
                    break;
                }
            }
        }
        return started;
    }
}
