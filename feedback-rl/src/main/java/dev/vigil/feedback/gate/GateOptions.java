package dev.vigil.feedback.gate;

/**
 * The promotion gate's settings.
 *
 * @param holdoutShare share of the label window, the most recent by label time, kept out of training to judge the
 *                     candidate on (default 0.2)
 * @param minHoldout   fewest holdout labels a judgement needs (default 200); fewer and the cycle waits for more labels
 * @param minHoldoutFrauds fewest frauds in the holdout (default 30). A young loop's first holdouts are a few dozen
 *                     labels, nearly all from alerts: the demo's loop, with minimums of 20 and 2, promoted on 51
 *                     labels with 22 frauds (AP better in 94% of resamples of that holdout) an adapter that was then
 *                     worse on the live days (AP 0.49 against 0.52). With 200 and 30 it waits for a holdout that
 *                     includes matured negatives and more than one day's frauds; the benchmark's holdouts (2,000+
 *                     labels, 144+ frauds) are untouched.
 * @param k            cards per day for card precision@k (default 20: a labeled holdout is far smaller than a day of
 *                     traffic, so the Handbook's 100 would rank every card)
 * @param apTolerance  the candidate's AP may be at most this much below the live adapter's (default 0.01)
 * @param cpTolerance  the same for CP@k (default 0.01)
 * @param evidence     share of paired bootstrap resamples of the holdout in which the candidate's AP must beat the
 *                     live adapter's (default 0.9; 0: off, the tolerances alone decide). A holdout of a few hundred frauds
 *                     moves AP by about 0.01 between resamples, so a tolerance alone lets a candidate that is no
 *                     better, only different, through about half the time, and such small losses add up over cycles;
 *                     0.9 promotes only a candidate the holdout shows better in 9 resamples out of 10.
 * @param completeHoldout when positive (default 2 days), the holdout is this span of event time just before the
 *                     chargeback window of now: payments whose labels are all in (the analysts' and the chargebacks)
 *                     with their matured negatives, an unbiased weighted sample of the traffic of that span; the
 *                     label-time split (the newest {@code holdoutShare} of labels) is the fallback when that span
 *                     cannot judge (a young loop). Zero: always the label-time split.
 */
public record GateOptions(double holdoutShare, int minHoldout, int minHoldoutFrauds, int k, double apTolerance,
        double cpTolerance, double evidence, java.time.Duration completeHoldout) {

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
        if (completeHoldout == null || completeHoldout.isNegative()) {
            throw new IllegalArgumentException("feedback.gate.complete-holdout must be a duration >= 0: "
                    + completeHoldout);
        }
        if (!(evidence >= 0 && evidence < 1)) {
            throw new IllegalArgumentException("feedback.gate.evidence must be in [0, 1): " + evidence);
        }
        if (!(apTolerance >= 0) || !(cpTolerance >= 0)) {
            throw new IllegalArgumentException("feedback.gate tolerances must be >= 0: ap " + apTolerance + ", cp "
                    + cpTolerance);
        }
    }

    public static GateOptions defaults() {
        return new GateOptions(0.2, 200, 30, 20, 0.01, 0.01, 0.9, java.time.Duration.ofDays(2));
    }

    public GateOptions withTolerance(double ap, double cp) {
        return new GateOptions(holdoutShare, minHoldout, minHoldoutFrauds, k, ap, cp, evidence, completeHoldout);
    }

    public GateOptions withMinimums(int holdout, int frauds) {
        return new GateOptions(holdoutShare, holdout, frauds, k, apTolerance, cpTolerance, evidence, completeHoldout);
    }

    public GateOptions withEvidence(double share) {
        return new GateOptions(holdoutShare, minHoldout, minHoldoutFrauds, k, apTolerance, cpTolerance, share, completeHoldout);
    }

    public GateOptions withCompleteHoldout(java.time.Duration span) {
        return new GateOptions(holdoutShare, minHoldout, minHoldoutFrauds, k, apTolerance, cpTolerance, evidence, span);
    }
}
