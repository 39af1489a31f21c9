package dev.vigil.feedback.update;

import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.schemas.cli.Setting;

/**
 * Inverse propensity weights: each labeled decision stands for 1 / P(its label was observed | the logged policy).
 *
 * <ul>
 *   <li>A decision the policy sent to review (an alert or a review of the budget's band, p = 1, or an exploration
 *       drawn across all scores, p = the logged exploration probability) was labeled because it was reviewed: weight
 *       1 / max(p, floor). An exploration at p = 0.0005 stands for the 1,999 payments of its kind that were passed
 *       unseen: with the floor at or below p, the weighted labels estimate the whole population without bias
 *       ({@code ExplorationWeightsTest}); a floor above p caps the weight (and the variance) and under-counts what
 *       only exploration sees, by p / floor.</li>
 *   <li>A decision the policy passed (p = 0) can only have been labeled by a chargeback, which the issuer files
 *       whatever the policy did: the observation does not depend on the policy, so it is not reweighted by it. Its
 *       weight is 1 / chargebackCoverage, the share of missed frauds that do come back as chargebacks (default 1).
 *       Chargebacks are only ever frauds: the genuine passed transactions are never labeled. That bias is what the
 *       exploration slots (weighted up above) and the matured negatives (below) correct.</li>
 *   <li>An analyst label on a passed decision (review outside the policy, e.g. a manual look-up) is weighted like a
 *       chargeback: its selection did not go through the logged propensity.</li>
 *   <li>A matured negative ({@link dev.vigil.feedback.labels.MaturedNegatives}: chargeback window closed, no label)
 *       was drawn by a hash of its id at rate r among all unlabeled matured decisions, whatever the policy did:
 *       propensity 1, weight 1 / r.</li>
 * </ul>
 *
 * @param floor              smallest propensity used (default 0.01: weights at most 100)
 * @param chargebackCoverage share of missed frauds that are reported as chargebacks, in (0, 1] (default 1)
 */
public record ImportanceWeights(double floor, double chargebackCoverage) {

    public static final Setting<Double> PROPENSITY_FLOOR = Setting.between("propensity-floor", 0.01, 0, true, 1, false,
            "Smallest review probability used in 1/p weights.");
    public static final Setting<Double> CHARGEBACK_COVERAGE = Setting.between("chargeback-coverage", 1.0, 0, true, 1,
            false, "Share of missed frauds that come back as chargebacks; their weight is 1/coverage.");

    public ImportanceWeights {
        PROPENSITY_FLOOR.check(floor);
        CHARGEBACK_COVERAGE.check(chargebackCoverage);
    }

    public static ImportanceWeights defaults() {
        return new ImportanceWeights(PROPENSITY_FLOOR.defaultValue(), CHARGEBACK_COVERAGE.defaultValue());
    }

    public double weight(LabeledDecision labeled) {
        if (labeled.matured()) {
            return 1.0 / labeled.maturedRate();
        }
        double p = labeled.decision().reviewProbability();
        if (p > 0) {
            return 1.0 / Math.max(p, floor);
        }
        return 1.0 / chargebackCoverage;
    }
}
