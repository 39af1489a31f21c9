package dev.vigil.feedback.update;

import dev.vigil.feedback.labels.LabeledDecision;
import java.util.List;

/**
 * The labeled decisions as a cost-sensitive, importance-weighted classification problem: the one-step policy
 * optimisation the update solves. For decision i with importance weight w_i ({@link ImportanceWeights}) and
 * advantage a_i ({@link RewardModel#advantage}):
 *
 * <pre>
 *   target_i = 1 if a_i > 0 (alerting was right) else 0
 *   weight_i = w_i * |a_i| / mean_j (w_j * |a_j|)
 *   loss     = mean_i weight_i * BCE(sigmoid(z_i), target_i)
 * </pre>
 *
 * The weighted BCE is the standard convex surrogate of the expected advantage sum_i w_i * a_i * pi(alert | x_i): its
 * minimiser puts sigmoid(z) above 1/2 exactly where P(fraud | x) * value(x) > reviewCost, the reward-optimal alert
 * rule, and unlike the raw linear objective its gradient does not vanish on confident mistakes. Dividing by the mean
 * (self-normalised importance weighting) keeps the loss scale, and so the learning rate, independent of the reward
 * unit and of how many exploration labels a window holds.
 *
 * @param targets the policy's right action per example (1 = alert)
 * @param weights the normalised per-example weights (mean 1)
 * @param importance the raw importance weights w_i, for reporting
 */
public record TrainingExamples(float[] targets, float[] weights, double[] importance) {

    public static TrainingExamples of(List<LabeledDecision> labeled, RewardModel reward, ImportanceWeights weights) {
        int n = labeled.size();
        float[] targets = new float[n];
        double[] raw = new double[n];
        double[] importance = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            LabeledDecision l = labeled.get(i);
            double advantage = reward.advantage(l.decision(), l.fraud());
            targets[i] = advantage > 0 ? 1f : 0f;
            importance[i] = weights.weight(l);
            raw[i] = importance[i] * Math.abs(advantage);
            sum += raw[i];
        }
        float[] normalised = new float[n];
        double mean = n == 0 ? 0 : sum / n;
        for (int i = 0; i < n; i++) {
            normalised[i] = mean > 0 ? (float) (raw[i] / mean) : 0f;
        }
        return new TrainingExamples(targets, normalised, importance);
    }

    public int size() {
        return targets.length;
    }

    /**
     * The self-normalised inverse-propensity estimate of the advantage per labeled decision earned by a policy that
     * alerts with probability {@code alertProbability[i]}: sum_i w_i * a_i * pi_i / sum_i w_i. Reported with every
     * candidate (live against candidate on the holdout), not gated on.
     */
    public static double policyValue(List<LabeledDecision> labeled, double[] alertProbability, RewardModel reward,
            ImportanceWeights weights) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < labeled.size(); i++) {
            LabeledDecision l = labeled.get(i);
            double w = weights.weight(l);
            num += w * reward.advantage(l.decision(), l.fraud()) * alertProbability[i];
            den += w;
        }
        return den == 0 ? Double.NaN : num / den;
    }
}
