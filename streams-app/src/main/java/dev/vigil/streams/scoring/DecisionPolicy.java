package dev.vigil.streams.scoring;

import dev.vigil.schemas.cli.Setting;
import dev.vigil.schemas.digest.StableDraw;

/**
 * What happens to a scored transaction, and the probability that it is put in front of an analyst (the propensity
 * feedback-rl needs to weight the labels it learns from: analysts only see what was sent to them). The analysts review
 * {@link #reviewCardsPerDay} cards a day; the scorer fills that budget every day, ranked by risk, and spends a share of
 * it on exploration across the whole score range:
 *
 * <ul>
 *   <li>{@code alert}: score at or above {@link #alertThreshold}; for downstream alerting and the review queue; review
 *       probability 1.</li>
 *   <li>{@code review}: score at or above the review band's threshold, which follows online the score quantile that
 *       yields {@code (1 - exploreShare) * reviewCardsPerDay} cards a day and a quarter more ({@link ReviewBudget});
 *       never above the alert threshold; review probability 1 (sent to review: the analysts review the top
 *       {@code reviewCardsPerDay} of what is sent).</li>
 *   <li>{@code explore}: any other payment, whatever its score, drawn with probability
 *       {@code exploreShare * reviewCardsPerDay / (payments a day)}: the share of the budget spent on cards the model
 *       would not send, so that a pattern it scores near zero can be found before its chargebacks; review probability
 *       = that probability.</li>
 *   <li>{@code pass}: everything else; review probability 0 (only the cardholder or a chargeback can label it).</li>
 * </ul>
 * Alerts, reviews and explorations are published on {@code fraud.alerts}. The exploration draw is a hash of the
 * transaction id and the seed, not a random number: a transaction scored again (after a crash, or replayed) with the
 * same probability gets the same decision.
 *
 * @param alertThreshold    score that alerts
 * @param reviewCardsPerDay the analysts' daily budget, across all of the scorer's partitions; 0: alerts only
 * @param exploreShare      share of the budget spent on exploration
 * @param seed              of the exploration draw
 */
public record DecisionPolicy(double alertThreshold, int reviewCardsPerDay, double exploreShare, long seed) {

    public static final String ALERT = "alert";
    public static final String REVIEW = "review";
    public static final String EXPLORE = "explore";
    public static final String PASS = "pass";

    public static final Setting<Double> ALERT_THRESHOLD = Setting.between("alert-threshold", 0.5, 0, true, 1, false,
            "Score that alerts.");
    public static final Setting<Integer> REVIEW_BUDGET = Setting.atLeast("review-budget", 100, 0,
            "Cards the analysts review a day (their k), across all partitions: the scorer sends a quarter more a day "
                    + "to review, ranked by risk, and they review the top k; 0: alerts only.");
    public static final Setting<Double> EXPLORE_SHARE = Setting.between("explore-share", 0.05, 0, false, 1, true,
            "Share of the review budget drawn at random across all scores, with a logged probability.");

    /** Alert at 0.5; 100 cards a day, 5% of them explored. */
    public static DecisionPolicy defaults() {
        return new DecisionPolicy(ALERT_THRESHOLD.defaultValue(), REVIEW_BUDGET.defaultValue(),
                EXPLORE_SHARE.defaultValue(), 0);
    }

    /** Alerts at {@code alertThreshold}, nothing else sent to review. */
    public static DecisionPolicy alertsOnly(double alertThreshold) {
        return new DecisionPolicy(alertThreshold, 0, 0, 0);
    }

    /** This policy with a budget of {@code cards} a day (the analysts' k). */
    public DecisionPolicy withReviewCardsPerDay(int cards) {
        return new DecisionPolicy(alertThreshold, cards, exploreShare, seed);
    }

    public DecisionPolicy {
        ALERT_THRESHOLD.check(alertThreshold);
        REVIEW_BUDGET.check(reviewCardsPerDay);
        EXPLORE_SHARE.check(exploreShare);
    }

    /** The decision and its review probability. */
    public record Decision(String name, double reviewProbability) {
        public boolean published() {
            return !PASS.equals(name);
        }
    }

    static final Decision ALERTED = new Decision(ALERT, 1.0);
    static final Decision REVIEWED = new Decision(REVIEW, 1.0);
    static final Decision PASSED = new Decision(PASS, 0.0);

    /**
     * The decision for a score given the band's threshold and the exploration probability of the moment
     * ({@link ReviewBudget} keeps them).
     */
    public Decision decide(String transactionId, double score, double reviewThreshold, double exploreProbability) {
        if (score >= alertThreshold) {
            return ALERTED;
        }
        if (score >= reviewThreshold) {
            return REVIEWED;
        }
        if (exploreProbability > 0 && uniform(transactionId) < exploreProbability) {
            return new Decision(EXPLORE, exploreProbability);
        }
        return PASSED;
    }

    /** A uniform draw in [0, 1) fixed by the transaction id and the seed ({@link StableDraw}). */
    double uniform(String transactionId) {
        return StableDraw.uniform(seed, transactionId);
    }
}
