package dev.vigil.streams.scoring;

import dev.vigil.schemas.cli.Setting;
import java.nio.charset.StandardCharsets;

/**
 * What happens to a scored transaction, and the probability that it is put in front of an analyst (the propensity
 * feedback-rl needs to weight the labels it learns from: analysts only see what was sent to them).
 *
 * <ul>
 *   <li>{@code alert}: score at or above {@link #alertThreshold}; published on {@code fraud.alerts}; review
 *       probability 1 (every alert goes to the review queue).</li>
 *   <li>{@code review}: an exploration slot: an unalerted transaction in the uncertain band
 *       [{@link #exploreFloor}, {@link #alertThreshold}) is sent to review with probability
 *       {@link #exploreProbability}, so that the loop also learns about cases the model does not alert on. Published
 *       on {@code fraud.alerts} with decision review; review probability = the explore probability.</li>
 *   <li>{@code pass}: everything else; review probability 0 (only a chargeback can label it).</li>
 * </ul>
 * The exploration draw is a hash of the transaction id and the seed, not a random number: a transaction that is
 * reprocessed (after a crash, or replayed) gets the same decision.
 */
public record DecisionPolicy(double alertThreshold, double exploreFloor, double exploreProbability, long seed) {

    public static final String ALERT = "alert";
    public static final String REVIEW = "review";
    public static final String PASS = "pass";

    public static final Setting<Double> ALERT_THRESHOLD = Setting.between("alert-threshold", 0.5, 0, true, 1, false,
            "Score that alerts.");
    public static final Setting<Double> EXPLORE_FLOOR = Setting.between("explore-floor", 0.1, 0, false, 1, false,
            "Lowest score of the exploration band [floor, threshold); at most --alert-threshold.");
    public static final Setting<Double> EXPLORE_PROBABILITY = Setting.between("explore-probability", 0.05, 0, false, 1,
            false, "Probability that a transaction in the band is sent to review.");

    /** Alert at 0.5; explore 5% of the band [0.1, 0.5). */
    public static DecisionPolicy defaults() {
        return new DecisionPolicy(ALERT_THRESHOLD.defaultValue(), EXPLORE_FLOOR.defaultValue(),
                EXPLORE_PROBABILITY.defaultValue(), 0);
    }

    public DecisionPolicy {
        ALERT_THRESHOLD.check(alertThreshold);
        EXPLORE_FLOOR.check(exploreFloor);
        if (exploreFloor > alertThreshold) {
            throw new IllegalArgumentException(EXPLORE_FLOOR.flag() + " must be at most " + ALERT_THRESHOLD.flag()
                    + " (" + alertThreshold + "), got " + exploreFloor);
        }
        EXPLORE_PROBABILITY.check(exploreProbability);
    }

    /** The decision and its review probability. */
    public record Decision(String name, double reviewProbability) {
        public boolean published() {
            return !PASS.equals(name);
        }
    }

    public Decision decide(String transactionId, double score) {
        if (score >= alertThreshold) {
            return new Decision(ALERT, 1.0);
        }
        if (score >= exploreFloor && exploreProbability > 0) {
            boolean explore = uniform(transactionId) < exploreProbability;
            return new Decision(explore ? REVIEW : PASS, explore ? exploreProbability : 0.0);
        }
        return new Decision(PASS, 0.0);
    }

    /** A uniform draw in [0, 1) fixed by the transaction id and the seed (64-bit FNV-1a, then a mixer). */
    double uniform(String transactionId) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : transactionId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
