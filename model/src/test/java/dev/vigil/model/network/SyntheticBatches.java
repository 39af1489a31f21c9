package dev.vigil.model.network;

import java.util.SplittableRandom;

/** Random inputs of the right shapes, and a small learnable fraud rule over them, for tests and benchmarks. */
public final class SyntheticBatches {

    private SyntheticBatches() {}

    /** A small config that keeps tests fast: d=32, 2 heads, 1 layer. */
    public static NetworkConfig smallConfig() {
        return NetworkConfig.defaults(8, 6, 10).withEncoder(32, 2, 1, 64);
    }

    /**
     * A batch with random features and histories of random length (0 to seqLen real positions, padding after
     * them); {@code emptyHistoryEvery} > 0 forces every n-th transaction to have no history at all.
     */
    public static FeatureBatch random(NetworkConfig config, int size, long seed, int emptyHistoryEvery) {
        SplittableRandom random = new SplittableRandom(seed);
        int l = config.seqLen();
        float[] seq = new float[size * l * config.seqFeatures()];
        float[] mask = new float[size * l];
        float[] dense = new float[size * config.denseFeatures()];
        for (int b = 0; b < size; b++) {
            int history = emptyHistoryEvery > 0 && b % emptyHistoryEvery == 0 ? 0 : random.nextInt(l + 1);
            for (int p = 0; p < l; p++) {
                boolean real = p < history;
                mask[b * l + p] = real ? 1f : 0f;
                for (int f = 0; f < config.seqFeatures(); f++) {
                    // padding carries zeros, as the feature encoding will write it
                    seq[(b * l + p) * config.seqFeatures() + f] = real ? (float) gaussian(random) : 0f;
                }
            }
            for (int f = 0; f < config.denseFeatures(); f++) {
                dense[b * config.denseFeatures() + f] = (float) gaussian(random);
            }
        }
        return new FeatureBatch(size, seq, mask, dense);
    }

    /**
     * Labels of a rule that needs both the sequence and the dense features: fraud when the mean of sequence
     * feature 0 over the real positions plus dense feature 0 exceeds 0.5.
     */
    public static float[] ruleLabels(NetworkConfig config, FeatureBatch batch) {
        int l = config.seqLen();
        float[] labels = new float[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            double sum = 0;
            int count = 0;
            for (int p = 0; p < l; p++) {
                if (batch.seqMask()[b * l + p] > 0) {
                    sum += batch.seq()[(b * l + p) * config.seqFeatures()];
                    count++;
                }
            }
            double score = (count == 0 ? 0 : sum / count) + batch.dense()[b * config.denseFeatures()];
            labels[b] = score > 0.5 ? 1f : 0f;
        }
        return labels;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
