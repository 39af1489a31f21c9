package dev.vigil.feedback.gate;

/**
 * The promotion gate's settings.
 *
 * @param holdoutShare share of the label window, the most recent by label time, kept out of training to judge the
 *                     candidate on (default 0.2)
 * @param minHoldout   fewest holdout labels a judgement needs (default 20); fewer and the cycle waits for more labels
 * @param minHoldoutFrauds fewest frauds in the holdout (default 2): AP is undefined without one and noise with one
 * @param k            cards per day for card precision@k (default 20: a labeled holdout is far smaller than a day of
 *                     traffic, so the Handbook's 100 would rank every card)
 * @param apTolerance  the candidate's AP may be at most this much below the live adapter's (default 0.01)
 * @param cpTolerance  the same for CP@k (default 0.01)
 */
public record GateOptions(double holdoutShare, int minHoldout, int minHoldoutFrauds, int k, double apTolerance,
        double cpTolerance) {

    public GateOptions {
        if (!(holdoutShare > 0 && holdoutShare < 1)) {
            throw new IllegalArgumentException("feedback.gate.holdout-share must be in (0, 1): " + holdoutShare);
        }
        if (minHoldout < 1) {
            throw new IllegalArgumentException("feedback.gate.min-holdout must be at least 1: " + minHoldout);
        }
        if (minHoldoutFrauds < 1) {
            throw new IllegalArgumentException("feedback.gate.min-holdout-frauds must be at least 1: "
                    + minHoldoutFrauds);
        }
        if (k < 1) {
            throw new IllegalArgumentException("feedback.gate.k must be at least 1: " + k);
        }
        if (!(apTolerance >= 0) || !(cpTolerance >= 0)) {
            throw new IllegalArgumentException("feedback.gate tolerances must be >= 0: ap " + apTolerance + ", cp "
                    + cpTolerance);
        }
    }

    public static GateOptions defaults() {
        return new GateOptions(0.2, 20, 2, 20, 0.01, 0.01);
    }

    public GateOptions withTolerance(double ap, double cp) {
        return new GateOptions(holdoutShare, minHoldout, minHoldoutFrauds, k, ap, cp);
    }

    public GateOptions withMinimums(int holdout, int frauds) {
        return new GateOptions(holdoutShare, holdout, frauds, k, apTolerance, cpTolerance);
    }
}
