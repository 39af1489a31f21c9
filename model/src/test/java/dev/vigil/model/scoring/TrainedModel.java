package dev.vigil.model.scoring;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkTrainer;
import dev.vigil.model.network.SyntheticBatches;
import dev.vigil.model.network.TrainingBatch;
import dev.vigil.model.network.TrainingOptions;
import dev.vigil.model.onnx.ExportedModel;
import dev.vigil.model.onnx.ServingGraphs;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Test fixture: the default network after a short base training (so that its logits have a realistic spread),
 * exported to both graphs, holding a random non-zero adapter, and a batch to score.
 */
final class TrainedModel implements AutoCloseable {

    static final NetworkConfig CONFIG = NetworkConfig.defaults(16, 12, 40);
    static final int BATCH = 256;

    final FraudModel djl;
    final ExportedModel exported;
    final Adapter adapter;
    final FeatureBatch batch;

    private TrainedModel(FraudModel djl, ExportedModel exported, Adapter adapter, FeatureBatch batch) {
        this.djl = djl;
        this.exported = exported;
        this.adapter = adapter;
        this.batch = batch;
    }

    static TrainedModel trainAndExport(Path dir) {
        FraudModel djl = FraudModel.create(CONFIG);
        try (NetworkTrainer trainer = djl.newTrainer(TrainingOptions.base().withLearningRate(3e-3f))) {
            for (int step = 0; step < 40; step++) {
                FeatureBatch b = SyntheticBatches.random(CONFIG, 64, 1000 + step, 6);
                trainer.step(new TrainingBatch(b, SyntheticBatches.ruleLabels(CONFIG, b)));
            }
        }
        ExportedModel exported = ServingGraphs.export(djl.network().weights().base(), dir);
        Adapter adapter = randomAdapter(CONFIG, 11, 0.05f);
        adapter.loadInto(djl.network());
        return new TrainedModel(djl, exported, adapter, SyntheticBatches.random(CONFIG, BATCH, 5, 7));
    }

    /** Uniform random A and B with standard deviation {@code sigma}. */
    static Adapter randomAdapter(NetworkConfig config, long seed, float sigma) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, FloatTensor> tensors = new TreeMap<>();
        Adapter.zero(config).tensors().forEach((name, zero) -> {
            float[] values = new float[zero.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * sigma * Math.sqrt(3));
            }
            tensors.put(name, FloatTensor.of(zero.shape(), values));
        });
        return Adapter.of(config.loraRank(), config.loraAlpha(), tensors);
    }

    @Override
    public void close() {
        djl.close();
    }
}
