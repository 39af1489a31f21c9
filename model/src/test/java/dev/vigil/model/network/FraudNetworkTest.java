package dev.vigil.model.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class FraudNetworkTest {

    @Test
    void sameSeedGivesBitIdenticalWeightsAndOtherSeedDoesNot() {
        NetworkConfig config = SyntheticBatches.smallConfig();
        NetworkWeights first;
        NetworkWeights second;
        NetworkWeights other;
        try (FraudModel model = FraudModel.create(config)) {
            first = model.network().weights();
        }
        try (FraudModel model = FraudModel.create(config)) {
            second = model.network().weights();
        }
        try (FraudModel model = FraudModel.create(config.withSeed(config.seed() + 1))) {
            other = model.network().weights();
        }
        assertThat(second.tensors()).isEqualTo(first.tensors());
        assertThat(other.tensor("layer0.attn.q.weight")).isNotEqualTo(first.tensor("layer0.attn.q.weight"));
    }

    @Test
    void parameterCountOfTheNetworkMatchesTheConfigFormula() {
        NetworkConfig config = SyntheticBatches.smallConfig()
                .withLora(4, 8f, EnumSet.of(LoraTarget.K, LoraTarget.FFN_DOWN, LoraTarget.HEAD));
        try (FraudModel model = FraudModel.create(config)) {
            assertThat(model.network().parameterCount()).isEqualTo(config.parameterCount());
        }
    }

    @Test
    void loraShareOfTheDefaultConfigIsAtMostFivePercentAtRankEight() {
        NetworkConfig config = NetworkConfig.defaults(16, 12, 40);
        ParameterCount count = config.parameterCount();
        assertThat(config.loraRank()).isEqualTo(8);
        assertThat(count.loraShare()).isLessThanOrEqualTo(0.05);
        try (FraudModel model = FraudModel.create(config)) {
            assertThat(model.network().parameterCount()).isEqualTo(count);
        }
    }

    @Test
    void freshAdapterIsANoOpAndLoraBStartsAtZero() {
        NetworkConfig config = SyntheticBatches.smallConfig();
        try (FraudModel model = FraudModel.create(config)) {
            for (LoraLinear projection : model.network().adaptedProjections()) {
                FloatTensor b = model.network().tensor(projection.name() + ".lora_b");
                assertThat(b).isEqualTo(FloatTensor.zeros(b.shape()));
                FloatTensor a = model.network().tensor(projection.name() + ".lora_a");
                assertThat(a).isNotEqualTo(FloatTensor.zeros(a.shape()));
            }
        }
    }

    @Test
    void cardsWithoutHistoryGetFiniteProbabilities() {
        NetworkConfig config = SyntheticBatches.smallConfig();
        FeatureBatch batch = SyntheticBatches.random(config, 16, 7, 2);
        try (FraudModel model = FraudModel.create(config)) {
            FraudModel.Prediction prediction = model.predict(batch);
            assertThat(prediction.probabilities()).hasSize(16);
            for (float p : prediction.probabilities()) {
                assertThat(p).isBetween(0f, 1f);
                assertThat(Float.isFinite(p)).isTrue();
            }
        }
    }
}
