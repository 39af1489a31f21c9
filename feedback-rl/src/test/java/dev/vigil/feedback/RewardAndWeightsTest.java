package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.TrainingExamples;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardAndWeightsTest {

    private static final Instant T = Instant.parse("2026-01-10T12:00:00Z");

    static LoggedDecision decision(String id, String decision, double p, long amountMinor) {
        return new LoggedDecision(id, "card-" + id, T, amountMinor, "EUR", 0.5, decision, p, "m", "1", null);
    }

    static LabeledDecision labeled(LoggedDecision d, boolean fraud, LabelSource source) {
        return new LabeledDecision(d, fraud, source, T.plusSeconds(60), 0, 0);
    }

    @Test
    void advantageOfAlertingIsValueMinusCostForFraudAndMinusCostForGenuine() {
        RewardModel reward = RewardModel.defaults();
        LoggedDecision d = decision("a", "alert", 1, 5000);
        assertThat(reward.advantage(d, true)).isCloseTo(0.9, within(1e-12));
        assertThat(reward.advantage(d, false)).isCloseTo(-0.1, within(1e-12));
    }

    @Test
    void amountValuedRewardScalesWithTheFraudsAmount() {
        RewardModel reward = new RewardModel(0.0, 0.01, 0.1);
        // 250.00 EUR -> value 2.5, advantage 2.4
        assertThat(reward.advantage(decision("a", "alert", 1, 25_000), true)).isCloseTo(2.4, within(1e-12));
        // a 5.00 EUR fraud is worth 0.05, less than a review: alerting it loses 0.05
        assertThat(reward.advantage(decision("b", "alert", 1, 500), true)).isCloseTo(-0.05, within(1e-12));
    }

    @Test
    void importanceWeightIsInverseReviewProbabilityWithAFloorAndChargebacksByCoverage() {
        ImportanceWeights weights = new ImportanceWeights(0.01, 0.5);
        assertThat(weights.weight(labeled(decision("a", "alert", 1.0, 1), true, LabelSource.ANALYST))).isEqualTo(1.0);
        assertThat(weights.weight(labeled(decision("r", "review", 0.05, 1), false, LabelSource.ANALYST)))
                .isCloseTo(20.0, within(1e-9));
        assertThat(weights.weight(labeled(decision("x", "review", 0.001, 1), false, LabelSource.ANALYST)))
                .isCloseTo(100.0, within(1e-9));
        assertThat(weights.weight(labeled(decision("p", "pass", 0.0, 1), true, LabelSource.CHARGEBACK)))
                .isCloseTo(2.0, within(1e-12));
        assertThat(ImportanceWeights.defaults().weight(labeled(decision("p", "pass", 0.0, 1), true,
                LabelSource.CHARGEBACK))).isEqualTo(1.0);
    }

    @Test
    void examplesTargetTheRewardOptimalActionWithSelfNormalisedWeights() {
        List<LabeledDecision> window = List.of(
                labeled(decision("a", "alert", 1.0, 1), true, LabelSource.ANALYST),      // w 1,  |a| 0.9 -> 0.9
                labeled(decision("r", "review", 0.05, 1), false, LabelSource.ANALYST),   // w 20, |a| 0.1 -> 2.0
                labeled(decision("p", "pass", 0.0, 1), true, LabelSource.CHARGEBACK));   // w 1,  |a| 0.9 -> 0.9
        TrainingExamples examples = TrainingExamples.of(window, RewardModel.defaults(), ImportanceWeights.defaults());
        assertThat(examples.targets()).containsExactly(1f, 0f, 1f);
        double mean = 3.8 / 3;
        assertThat(examples.weights()[0]).isCloseTo((float) (0.9 / mean), within(1e-6f));
        assertThat(examples.weights()[1]).isCloseTo((float) (2.0 / mean), within(1e-6f));
        assertThat(examples.weights()[2]).isCloseTo((float) (0.9 / mean), within(1e-6f));
        assertThat(examples.importance()).containsExactly(1.0, 20.0, 1.0);
    }

    @Test
    void aFraudWorthLessThanAReviewTeachesThePolicyToPassIt() {
        RewardModel reward = new RewardModel(0.0, 0.01, 0.1);
        TrainingExamples examples = TrainingExamples.of(
                List.of(labeled(decision("small", "alert", 1.0, 500), true, LabelSource.ANALYST)), reward,
                ImportanceWeights.defaults());
        assertThat(examples.targets()).containsExactly(0f);
        assertThat(examples.weights()).containsExactly(1f);
    }

    @Test
    void policyValueIsTheSelfNormalisedIpsEstimate() {
        List<LabeledDecision> window = List.of(
                labeled(decision("a", "alert", 1.0, 1), true, LabelSource.ANALYST),
                labeled(decision("r", "review", 0.05, 1), false, LabelSource.ANALYST));
        // (1 * 0.9 * 0.8 + 20 * -0.1 * 0.5) / 21 = (0.72 - 1.0) / 21
        double value = TrainingExamples.policyValue(window, new double[] {0.8, 0.5}, RewardModel.defaults(),
                ImportanceWeights.defaults());
        assertThat(value).isCloseTo(-0.28 / 21, within(1e-12));
    }

    @Test
    void invalidSettingsAreRefusedWithTheKeyName() {
        assertThatThrownBy(() -> new RewardModel(1, 0, 0)).hasMessageContaining("review-cost");
        assertThatThrownBy(() -> new ImportanceWeights(0, 1)).hasMessageContaining("propensity-floor");
        assertThatThrownBy(() -> new ImportanceWeights(0.01, 1.5)).hasMessageContaining("chargeback-coverage");
    }
}
