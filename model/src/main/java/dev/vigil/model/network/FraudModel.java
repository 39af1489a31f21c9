package dev.vigil.model.network;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The training-time network on DJL's PyTorch engine (CPU): owns the DJL {@link Model} and the {@link FraudNetwork}
 * in it. Run with {@code -Dai.djl.offline=true} and {@code -Dai.djl.pytorch.num_threads=1} (or the core count):
 * the natives come from the pytorch-native-cpu jar, nothing is downloaded.
 *
 * <pre>{@code
 * try (FraudModel model = FraudModel.create(config);
 *      NetworkTrainer trainer = model.newTrainer(TrainingOptions.base())) {
 *     for (TrainingBatch batch : batches) trainer.step(batch);
 *     NetworkWeights trained = model.network().weights();
 * }
 * }</pre>
 */
public final class FraudModel implements AutoCloseable {

    /** The DJL engine this model trains on. */
    public static final String ENGINE = "PyTorch";

    private final Model model;
    private final FraudNetwork network;

    private FraudModel(Model model, FraudNetwork network) {
        this.model = model;
        this.network = network;
    }

    /** A fresh network with the seeded initial weights of {@code config}. */
    public static FraudModel create(NetworkConfig config) {
        Engine.getEngine(ENGINE).setRandomSeed((int) config.seed());
        Model model = Model.newInstance("vigil-fraud", Device.cpu(), ENGINE);
        try {
            FraudNetwork network = FraudNetwork.create(model.getNDManager(), config);
            model.setBlock(network);
            return new FraudModel(model, network);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A network holding {@code weights} (LoRA tensors absent from it start as a zero adapter). */
    public static FraudModel load(NetworkWeights weights) {
        Engine.getEngine(ENGINE).setRandomSeed((int) weights.config().seed());
        Model model = Model.newInstance("vigil-fraud", Device.cpu(), ENGINE);
        try {
            FraudNetwork network = FraudNetwork.create(model.getNDManager(), weights);
            model.setBlock(network);
            return new FraudModel(model, network);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public FraudNetwork network() {
        return network;
    }

    public NetworkConfig config() {
        return network.config();
    }

    /** The DJL model (for saving with DJL's own format, or a custom training loop). */
    public Model djlModel() {
        return model;
    }

    /** A trainer for one phase (base or adapter); close it before starting the other phase. */
    public NetworkTrainer newTrainer(TrainingOptions options) {
        return new NetworkTrainer(this, options);
    }

    /** Inference (no gradients, training=false): the logit and the probability of fraud per transaction. */
    public Prediction predict(FeatureBatch batch) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDList outputs = network.forward(new ParameterStore(scope, false), inputs(scope, batch), false);
            return new Prediction(outputs.get(0).toFloatArray(), outputs.get(1).toFloatArray());
        }
    }

    /** The network's input NDList for {@code batch}, created in {@code manager}. */
    NDList inputs(NDManager manager, FeatureBatch batch) {
        NetworkConfig config = network.config();
        batch.validate(config);
        int b = batch.size();
        NDArray seq = manager.create(batch.seq(), new Shape(b, config.seqLen(), config.seqFeatures()));
        NDArray mask = manager.create(batch.seqMask(), new Shape(b, config.seqLen()));
        NDArray dense = manager.create(batch.dense(), new Shape(b, config.denseFeatures()));
        return new NDList(seq, mask, dense);
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * Network outputs per transaction.
     *
     * @param logits [B]
     * @param probabilities [B], sigmoid of the logits
     */
    public record Prediction(float[] logits, float[] probabilities) {}
}
