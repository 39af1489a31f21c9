package dev.vigil.feedback.gate;

import dev.vigil.schemas.cli.Setting;

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

    public static final Setting<Double> HOLDOUT_SHARE = Setting.between("holdout-share", 0.2, 0, true, 1, true,
            "Most recent share of labels (by label time) kept out to gate on.");
    public static final Setting<Integer> MIN_HOLDOUT = Setting.atLeast("min-holdout", 200, 1,
            "Fewest holdout labels a judgement needs; fewer and the cycle waits.");
    public static final Setting<Integer> MIN_HOLDOUT_FRAUDS = Setting.atLeast("min-holdout-frauds", 30, 1,
            "Fewest frauds in the holdout a judgement needs.");
    public static final Setting<Integer> K = Setting.atLeast("k", 20, 1, "k of card precision@k.");
    public static final Setting<Double> TOLERANCE = Setting.finiteFrom("tolerance", 0.01, 0, false,
            "How much worse than live (AP and CP@k) a candidate may be.");
    public static final Setting<Double> EVIDENCE = Setting.between("evidence", 0.9, 0, false, 1, true,
            "Share of paired bootstrap resamples of the holdout in which the candidate's AP must beat live's; 0: the "
                    + "tolerance alone decides.");
    public static final Setting<java.time.Duration> COMPLETE_HOLDOUT = Setting.nonNegativeDuration("complete-holdout",
            java.time.Duration.ofDays(2), "Gate on this span of event time just before the chargeback window (every "
                    + "label in), falling back to the newest --holdout-share of labels while it cannot judge; PT0S: "
                    + "always the newest labels (ISO-8601).");

    public GateOptions {
        HOLDOUT_SHARE.check(holdoutShare);
        MIN_HOLDOUT.check(minHoldout);
        MIN_HOLDOUT_FRAUDS.check(minHoldoutFrauds);
        K.check(k);
        COMPLETE_HOLDOUT.check(completeHoldout);
        EVIDENCE.check(evidence);
        TOLERANCE.check(apTolerance);
        TOLERANCE.check(cpTolerance);
    }

    public static GateOptions defaults() {
        return new GateOptions(HOLDOUT_SHARE.defaultValue(), MIN_HOLDOUT.defaultValue(),
                MIN_HOLDOUT_FRAUDS.defaultValue(), K.defaultValue(), TOLERANCE.defaultValue(),
                TOLERANCE.defaultValue(), EVIDENCE.defaultValue(), COMPLETE_HOLDOUT.defaultValue());
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
