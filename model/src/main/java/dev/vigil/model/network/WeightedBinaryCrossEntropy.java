package dev.vigil.model.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy on the logit, with a weight on the positive class and optional per-example weights:
 *
 * <pre>
 *   loss = mean_i  w_i * ( posWeight * y_i * softplus(-z_i) + (1 - y_i) * softplus(z_i) )
 * </pre>
 *
 * softplus keeps it finite for any logit. Labels: {@code NDList(y)} or {@code NDList(y, w)}; predictions: the
 * network's {@code NDList(logit, probability)}.
 */
public final class WeightedBinaryCrossEntropy extends Loss {

    private final float positiveWeight;

    /** @param positiveWeight weight of a fraud example relative to a genuine one (1 = plain BCE) */
    public WeightedBinaryCrossEntropy(float positiveWeight) {
        super("WeightedBCE");
        if (!(positiveWeight > 0) || Float.isInfinite(positiveWeight)) {
            throw new IllegalArgumentException("positiveWeight must be positive and finite, got " + positiveWeight);
        }
        this.positiveWeight = positiveWeight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray y = labels.get(0);
        NDArray z = predictions.get(0);
        NDArray positive = Activation.softPlus(z.neg()).mul(y).mul(Scalars.beside(y, positiveWeight));
        NDArray negative = Activation.softPlus(z).mul(Scalars.beside(y, 1f).sub(y));
        NDArray perExample = positive.add(negative);
        if (labels.size() > 1) {
            perExample = perExample.mul(labels.get(1));
        }
        return perExample.mean();
    }
}
