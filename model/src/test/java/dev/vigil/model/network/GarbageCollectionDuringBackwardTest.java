package dev.vigil.model.network;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gradients of one step must not depend on what the JVM does between the forward pass and the backward pass.
 *
 * <p>Autograd keeps every tensor an operation needs for its gradient until backward. A tensor made from a Java
 * number by DJL (e.g. {@code x.mul(2f)}) lives in a small direct buffer that DJL lets go right after the forward
 * operation; a garbage collection before backward frees it, the memory is reused, and backward reads whatever is
 * there. That was the intermittent NaN and the seeded trainings that differed one run in ten. This test makes the
 * window happen on purpose: forward, then a collection and a flood of small direct buffers holding junk, then
 * backward; the gradients must equal those of an undisturbed step bit for bit.
 */
class GarbageCollectionDuringBackwardTest {

    @Test
    void gradientsAreTheSameWhenMemoryIsCollectedAndReusedBeforeBackward() throws Exception {
        NetworkConfig config = SyntheticBatches.smallConfig();
        FeatureBatch batch = SyntheticBatches.random(config, 32, 7, 4);
        float[] labels = SyntheticBatches.ruleLabels(config, batch);

        Map<String, float[]> quiet = gradients(config, batch, labels, false);
        Map<String, float[]> disturbed = gradients(config, batch, labels, true);

        assertThat(disturbed.keySet()).isEqualTo(quiet.keySet());
        for (String name : quiet.keySet()) {
            assertThat(disturbed.get(name)).as(name).containsExactly(quiet.get(name));
        }
    }

    /** One adapter-phase forward and backward (positive weight 3, so the loss's own constants matter too). */
    private static Map<String, float[]> gradients(NetworkConfig config, FeatureBatch batch, float[] labels,
            boolean disturb) throws InterruptedException {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (FraudModel model = FraudModel.create(config)) {
            // a non-zero B, so that every LoRA product (and its scale) is in the gradient of A
            for (String name : model.network().namedParameters().keySet()) {
                if (name.endsWith(".lora_b")) {
                    FloatTensor b = model.network().tensor(name);
                    float[] values = new float[b.size()];
                    java.util.Arrays.fill(values, 0.01f);
                    model.network().setTensor(name, FloatTensor.of(b.shape(), values));
                }
            }
            model.network().prepareFor(TrainingPhase.ADAPTER);
            WeightedBinaryCrossEntropy loss = new WeightedBinaryCrossEntropy(3f);
            try (Trainer trainer = model.djlModel().newTrainer(new DefaultTrainingConfig(loss));
                    NDManager scope = trainer.getManager().newSubManager()) {
                trainer.initialize(new Shape(1, config.seqLen(), config.seqFeatures()),
                        new Shape(1, config.seqLen()), new Shape(1, config.denseFeatures()));
                NDList inputs = model.inputs(scope, batch);
                NDList target = new NDList(scope.create(labels, new Shape(batch.size())));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray value = loss.evaluate(target, trainer.forward(inputs));
                    if (disturb) {
                        reuseFreedMemory();
                    }
                    collector.backward(value);
                }
                for (Map.Entry<String, Parameter> entry : model.network().namedParameters().entrySet()) {
                    if (FraudNetwork.isLoraTensor(entry.getKey())) {
                        gradients.put(entry.getKey(), entry.getValue().getArray().getGradient().toFloatArray());
                    }
                }
            }
        }
        return gradients;
    }

    /** Collects garbage, lets the cleaner free unreachable direct buffers, then refills small blocks with junk. */
    private static void reuseFreedMemory() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(50);
        }
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 + (i % 4) * 4).order(ByteOrder.nativeOrder());
            while (buffer.hasRemaining()) {
                buffer.putFloat(1e30f);
            }
            junk.add(buffer);
        }
        assertThat(junk).hasSize(20_000);
    }
}
