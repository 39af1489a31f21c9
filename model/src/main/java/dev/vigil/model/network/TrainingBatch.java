package dev.vigil.model.network;

/**
 * Labeled examples for one training step.
 *
 * @param features the network inputs
 * @param labels [B], 1 = fraud, 0 = genuine
 * @param weights [B] per-example loss weights (e.g. inverse review propensities), or null for all 1
 */
public record TrainingBatch(FeatureBatch features, float[] labels, float[] weights) {

    public TrainingBatch {
        if (features == null || labels == null) {
            throw new IllegalArgumentException("features and labels are required");
        }
        if (labels.length != features.size()) {
            throw new IllegalArgumentException("labels has " + labels.length + " values for a batch of "
                    + features.size());
        }
        if (weights != null && weights.length != features.size()) {
            throw new IllegalArgumentException("weights has " + weights.length + " values for a batch of "
                    + features.size());
        }
    }

    /** Unweighted examples. */
    public TrainingBatch(FeatureBatch features, float[] labels) {
        this(features, labels, null);
    }
}
