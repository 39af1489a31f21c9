package dev.vigil.feedback.update;

import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.FraudNetwork;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkTrainer;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.network.TrainingBatch;
import dev.vigil.model.network.TrainingOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One policy update of the LoRA adapter: start from the live adapter on the frozen base, minimise the
 * cost-sensitive, importance-weighted objective of {@link TrainingExamples} with Adam on the LoRA tensors only
 * ({@link TrainingOptions#adapter()}: the base parameters are frozen in DJL and stay bit-identical), and keep the
 * result near the live adapter with the proximal term lambda * ||theta - theta_live||^2.
 *
 * <p>The proximal term is applied as its exact proximal map after every Adam step (forward-backward splitting):
 * theta <- theta_live + (theta - theta_live) / (1 + 2 * eta * lambda), eta the learning rate. This is the same
 * minimiser as adding the term to the loss, needs no change to the shared training loop, and lambda -> infinity gives
 * the live adapter exactly. Deterministic: the example order comes from {@code seed + epoch}, libtorch runs on one
 * thread.
 */
public final class PolicyUpdate {


    private final NetworkWeights base;
    private final UpdateOptions options;

    /** @param base the frozen base ({@code ModelDirectory.baseWeights()}) */
    public PolicyUpdate(NetworkWeights base, UpdateOptions options) {
        this.base = base.base();
        this.options = options;
    }

    /**
     * What an update produced.
     *
     * @param candidate      the tuned adapter
     * @param firstEpochLoss mean batch loss of the first epoch
     * @param lastEpochLoss  mean batch loss of the last epoch
     * @param drift          ||theta - theta_live|| over every LoRA value
     * @param relativeDrift  drift / ||theta_live||
     * @param steps          Adam steps taken
     */
    public record Result(Adapter candidate, int examples, double firstEpochLoss, double lastEpochLoss, double drift,
            double relativeDrift, long steps) {}

    public Result run(Adapter live, List<LabeledDecision> train, TrainingExamples examples) {
        if (train.size() != examples.size()) {
            throw new IllegalArgumentException(train.size() + " labeled decisions but " + examples.size()
                    + " examples");
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("an update needs at least one labeled decision");
        }
        Map<String, FloatTensor> tensors = new TreeMap<>(base.tensors());
        tensors.putAll(live.tensors());
        try (FraudModel model = FraudModel.load(NetworkWeights.of(base.config(), tensors))) {
            return run(model, live, train, examples);
        }
    }

    /** The update produced a non-finite loss. */
    public static final class Diverged extends IllegalStateException {
        Diverged(String message) {
            super(message);
        }
    }

    /**
     * The update on a model the caller holds (its base must be this update's base; its adapter is replaced by
     * {@code live} first). The model keeps the candidate adapter afterwards.
     */
    public Result run(FraudModel model, Adapter live, List<LabeledDecision> train, TrainingExamples examples) {
        if (train.size() != examples.size() || train.isEmpty()) {
            throw new IllegalArgumentException(train.size() + " labeled decisions and " + examples.size()
                    + " examples: an update needs the same, at least one");
        }
        NetworkConfig config = model.config();
        double shrink = options.proximalShrink();
        try (NetworkTrainer trainer = model.newTrainer(new TrainingOptions(
                dev.vigil.model.network.TrainingPhase.ADAPTER, options.learningRate(), 1f, 0f, CLIP_GRADIENT))) {
            FraudNetwork network = model.network();
            live.loadInto(network);
            Map<String, ai.djl.ndarray.NDArray> anchors = new TreeMap<>();
            if (options.proximalLambda() > 0) {
                live.tensors().forEach((name, value) -> anchors.put(name, network.anchorOf(name, value)));
            }
            List<ModelInputs> inputs = new ArrayList<>(train.size());
            for (LabeledDecision l : train) {
                inputs.add(l.decision().inputs(config));
            }
            List<Integer> order = new ArrayList<>(train.size());
            for (int i = 0; i < train.size(); i++) {
                order.add(i);
            }
            double first = Double.NaN;
            double last = Double.NaN;
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                Collections.shuffle(order, new Random(options.seed() + epoch));
                double sum = 0;
                int batches = 0;
                for (int start = 0; start < order.size(); start += options.batchSize()) {
                    List<Integer> rows = order.subList(start, Math.min(order.size(), start + options.batchSize()));
                    float loss = trainer.step(batch(config, rows, inputs, examples));
                    if (!Float.isFinite(loss)) {
                        throw new Diverged("the update diverged: loss " + loss + " at epoch " + epoch
                                + ", batch " + batches + " (learning rate " + options.learningRate() + ")");
                    }
                    sum += loss;
                    batches++;
                    if (options.proximalLambda() > 0) {
                        pullTowards(network, anchors, shrink);
                    }
                }
                double mean = sum / batches;
                if (epoch == 0) {
                    first = mean;
                }
                last = mean;
            }
            anchors.values().forEach(ai.djl.ndarray.NDArray::close);
            Adapter candidate = Adapter.extract(network);
            double drift = distance(candidate, live);
            double norm = distance(live, null);
            return new Result(candidate, train.size(), first, last, drift, norm > 0 ? drift / norm : Double.NaN,
                    trainer.steps());
        }
    }

    /** ||a - b|| over every tensor value (b = null: ||a||). */
    public static double distance(Adapter a, Adapter b) {
        double sum = 0;
        for (Map.Entry<String, FloatTensor> e : a.tensors().entrySet()) {
            float[] x = e.getValue().values();
            float[] y = b == null ? null : b.tensors().get(e.getKey()).values();
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - (y == null ? 0 : y[i]);
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    /** theta <- theta_live + shrink * (theta - theta_live), on every LoRA tensor. */
    /**
     * Gradients are clipped to this size: importance weights reach 1 / propensity floor (100), and an unclipped step
     * on a few heavily weighted labels was seen to take the adapter to non-finite values.
     */
    static final float CLIP_GRADIENT = 1.0f;

    /** The proximal map, in place on the parameters (no copy through the JVM). */
    private static void pullTowards(FraudNetwork network, Map<String, ai.djl.ndarray.NDArray> anchors, double shrink) {
        for (Map.Entry<String, ai.djl.ndarray.NDArray> e : anchors.entrySet()) {
            network.shrinkTowards(e.getKey(), e.getValue(), (float) shrink);
        }
    }

    private static TrainingBatch batch(NetworkConfig config, List<Integer> rows, List<ModelInputs> inputs,
            TrainingExamples examples) {
        int b = rows.size();
        float[] seq = new float[b * config.seqLen() * config.seqFeatures()];
        float[] mask = new float[b * config.seqLen()];
        float[] dense = new float[b * config.denseFeatures()];
        float[] labels = new float[b];
        float[] weights = new float[b];
        for (int r = 0; r < b; r++) {
            int i = rows.get(r);
            inputs.get(i).copyInto(r, seq, mask, dense);
            labels[r] = examples.targets()[i];
            weights[r] = examples.weights()[i];
        }
        return new TrainingBatch(new FeatureBatch(b, seq, mask, dense), labels, weights);
    }

    /** The inputs of {@code labeled} as one batch (for scoring). */
    public static FeatureBatch features(NetworkConfig config, List<LabeledDecision> labeled) {
        int b = labeled.size();
        float[] seq = new float[b * config.seqLen() * config.seqFeatures()];
        float[] mask = new float[b * config.seqLen()];
        float[] dense = new float[b * config.denseFeatures()];
        for (int r = 0; r < b; r++) {
            labeled.get(r).decision().inputs(config).copyInto(r, seq, mask, dense);
        }
        return new FeatureBatch(b, seq, mask, dense);
    }
}
