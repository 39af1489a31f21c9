package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.PolicyUpdate;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.TrainingExamples;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.testkit.SeededModel;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The update on a real (seeded, untrained) network on DJL's PyTorch engine. */
class PolicyUpdateTest {

    static NetworkWeights base;
    static Adapter live;
    static List<LabeledDecision> train;
    static TrainingExamples examples;

    @BeforeAll
    static void data() throws IOException {
        ModelDirectory dir = SeededModel.modelDirectory();
        base = dir.baseWeights();
        live = dir.adapter();
        train = SyntheticDecisions.labeled(SyntheticDecisions.generate(base.config(), 400, 0.2, 11, "m",
                Instant.parse("2026-01-01T00:00:00Z")));
        examples = TrainingExamples.of(train, RewardModel.defaults(), ImportanceWeights.defaults());
    }

    static UpdateOptions options(double lambda) {
        return new UpdateOptions(2, 32, 5e-3f, lambda, 3);
    }

    @Test
    void anUpdateChangesOnlyTheLoraTensorsAndLeavesTheBaseBitIdentical() {
        Map<String, FloatTensor> tensors = new TreeMap<>(base.tensors());
        tensors.putAll(live.tensors());
        try (FraudModel model = FraudModel.load(NetworkWeights.of(base.config(), tensors))) {
            NetworkWeights before = model.network().weights();
            PolicyUpdate.Result result = new PolicyUpdate(base, options(0)).run(model, live, train, examples);
            NetworkWeights after = model.network().weights();
            assertThat(after.base().tensors()).isEqualTo(before.base().tensors());
            assertThat(result.candidate()).isNotEqualTo(live);
            assertThat(result.drift()).isGreaterThan(0);
            for (String name : live.tensors().keySet()) {
                assertThat(after.tensor(name)).isEqualTo(result.candidate().tensors().get(name));
            }
        }
    }

    @Test
    void theCandidateStaysNearerTheLiveAdapterAsLambdaGrows() {
        double free = new PolicyUpdate(base, options(0)).run(live, train, examples).drift();
        double mild = new PolicyUpdate(base, options(10)).run(live, train, examples).drift();
        double strong = new PolicyUpdate(base, options(1000)).run(live, train, examples).drift();
        assertThat(mild).isLessThan(free);
        assertThat(strong).isLessThan(mild);
        assertThat(strong).isLessThan(free / 20);
    }

    @Test
    void theSameLabelsAndSeedGiveTheSameCandidate() {
        Adapter a = new PolicyUpdate(base, options(1)).run(live, train, examples).candidate();
        Adapter b = new PolicyUpdate(base, options(1)).run(live, train, examples).candidate();
        assertThat(a.sha256()).isEqualTo(b.sha256());
    }

    @Test
    void theUpdateLowersTheWeightedLoss() {
        PolicyUpdate.Result result = new PolicyUpdate(base, new UpdateOptions(4, 32, 5e-3f, 0.1, 3))
                .run(live, train, examples);
        assertThat(result.lastEpochLoss()).isLessThan(result.firstEpochLoss());
    }
}
