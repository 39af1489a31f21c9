package dev.vigil.model.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkTrainerTest {

    @Test
    void baseTrainingLowersTheLossOnALearnableRule() {
        NetworkConfig config = SyntheticBatches.smallConfig();
        FeatureBatch holdout = SyntheticBatches.random(config, 256, 99, 5);
        TrainingBatch holdoutBatch = new TrainingBatch(holdout, SyntheticBatches.ruleLabels(config, holdout));
        try (FraudModel model = FraudModel.create(config);
                NetworkTrainer trainer = model.newTrainer(TrainingOptions.base().withLearningRate(3e-3f))) {
            float before = trainer.loss(holdoutBatch);
            for (int step = 0; step < 150; step++) {
                FeatureBatch batch = SyntheticBatches.random(config, 64, step, 5);
                trainer.step(new TrainingBatch(batch, SyntheticBatches.ruleLabels(config, batch)));
            }
            float after = trainer.loss(holdoutBatch);
            assertThat(after).isLessThan(0.6f * before);
        }
    }

    @Test
    void adapterStepChangesOnlyLoraParameters() {
        NetworkConfig config = SyntheticBatches.smallConfig();
        try (FraudModel model = FraudModel.create(config)) {
            NetworkWeights before = model.network().weights();
            try (NetworkTrainer trainer = model.newTrainer(TrainingOptions.adapter())) {
                for (int step = 0; step < 3; step++) {
                    FeatureBatch batch = SyntheticBatches.random(config, 32, step, 4);
                    trainer.step(new TrainingBatch(batch, SyntheticBatches.ruleLabels(config, batch)));
                }
            }
            NetworkWeights after = model.network().weights();
            int loraChanged = 0;
            for (Map.Entry<String, FloatTensor> entry : before.tensors().entrySet()) {
                FloatTensor now = after.tensor(entry.getKey());
                if (FraudNetwork.isLoraTensor(entry.getKey())) {
                    loraChanged += now.equals(entry.getValue()) ? 0 : 1;
                } else {
                    assertThat(now).as(entry.getKey()).isEqualTo(entry.getValue());
                }
            }
            assertThat(loraChanged).isEqualTo(2 * model.network().adaptedProjections().size());
        }
    }

    @Test
    void trainingIsReproducible() {
        NetworkConfig config = SyntheticBatches.smallConfig();
        NetworkWeights[] results = new NetworkWeights[2];
        for (int run = 0; run < 2; run++) {
            try (FraudModel model = FraudModel.create(config);
                    NetworkTrainer trainer = model.newTrainer(TrainingOptions.base())) {
                for (int step = 0; step < 5; step++) {
                    FeatureBatch batch = SyntheticBatches.random(config, 32, step, 4);
                    float[] weights = new float[32];
                    java.util.Arrays.fill(weights, 0.5f);
                    trainer.step(new TrainingBatch(batch, SyntheticBatches.ruleLabels(config, batch), weights));
                }
                results[run] = model.network().weights();
            }
        }
        assertThat(results[1].tensors()).isEqualTo(results[0].tensors());
    }
}
