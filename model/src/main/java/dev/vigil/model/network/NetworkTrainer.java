package dev.vigil.model.network;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;

/**
 * The minimal training loop: a batch of float arrays -> forward -> weighted BCE on the logit -> backward -> one
 * Adam step on the parameters of the chosen {@link TrainingPhase} (the others are frozen and stay bit-identical).
 * Deterministic for a given network, batch order and thread count: no dropout, no sampling in here; shuffling is
 * the caller's, with its own seed.
 */
public final class NetworkTrainer implements AutoCloseable {

    private final FraudModel model;
    private final Trainer trainer;
    private final WeightedBinaryCrossEntropy loss;
    private long steps;

    NetworkTrainer(FraudModel model, TrainingOptions options) {
        this.model = model;
        this.loss = new WeightedBinaryCrossEntropy(options.positiveWeight());
        model.network().prepareFor(options.phase());
        Adam.Builder adam = Adam.builder().optLearningRateTracker(Tracker.fixed(options.learningRate()));
        if (options.weightDecay() > 0) {
            adam.optWeightDecays(options.weightDecay());
        }
        if (options.clipGradient() > 0) {
            adam.optClipGrad(options.clipGradient());
        }
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(adam.build())
                .optDevices(new Device[] {Device.cpu()});
        trainer = model.djlModel().newTrainer(config);
        NetworkConfig shape = model.config();
        trainer.initialize(new Shape(1, shape.seqLen(), shape.seqFeatures()), new Shape(1, shape.seqLen()),
                new Shape(1, shape.denseFeatures()));
    }

    /** One optimisation step; returns the batch loss before the step. */
    public float step(TrainingBatch batch) {
        float value;
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList inputs = model.inputs(scope, batch.features());
            NDList labels = labels(scope, batch);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList outputs = trainer.forward(inputs);
                NDArray batchLoss = loss.evaluate(labels, outputs);
                collector.backward(batchLoss);
                value = batchLoss.getFloat();
            }
            trainer.step();
        }
        steps++;
        return value;
    }

    /** The loss on {@code batch} without a step (inference mode). */
    public float loss(TrainingBatch batch) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList outputs = trainer.evaluate(model.inputs(scope, batch.features()));
            return loss.evaluate(labels(scope, batch), outputs).getFloat();
        }
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    private static NDList labels(NDManager scope, TrainingBatch batch) {
        int b = batch.features().size();
        NDList labels = new NDList(scope.create(batch.labels(), new Shape(b)));
        if (batch.weights() != null) {
            labels.add(scope.create(batch.weights(), new Shape(b)));
        }
        return labels;
    }

    @Override
    public void close() {
        trainer.close();
    }
}
