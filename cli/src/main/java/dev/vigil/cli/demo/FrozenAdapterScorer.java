package dev.vigil.cli.demo;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The counterfactual arm: the model's first adapter, frozen, scoring the very inputs the live scorer logged in each
 * {@code FraudScore.model_inputs} (the same int8 graph, card state and retrieved context), so the only difference from
 * the live score is the adapter. Until the loop promotes an adapter the two scores are equal.
 */
final class FrozenAdapterScorer implements AutoCloseable {

    private final OnnxScorer scorer;
    private final NetworkConfig network;
    private final int floatsPerRow;

    FrozenAdapterScorer(ModelDirectory model) throws IOException {
        this.network = model.networkConfig();
        this.scorer = OnnxScorer.load(model.int8(), ScorerOptions.cpu(1), model.adapter());
        this.floatsPerRow = network.seqLen() * network.seqFeatures() + network.seqLen() + network.denseFeatures();
    }

    /** True when {@code inputs} has the size this network takes. */
    boolean fits(byte[] inputs) {
        return inputs != null && inputs.length == Float.BYTES * floatsPerRow;
    }

    /** Probabilities for the logged inputs (each {@link #fits}), in order. */
    float[] score(List<byte[]> inputs) {
        int b = inputs.size();
        int seqSize = network.seqLen() * network.seqFeatures();
        float[] seq = new float[b * seqSize];
        float[] mask = new float[b * network.seqLen()];
        float[] dense = new float[b * network.denseFeatures()];
        for (int r = 0; r < b; r++) {
            FloatBuffer in = ByteBuffer.wrap(inputs.get(r)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            in.get(seq, r * seqSize, seqSize);
            in.get(mask, r * network.seqLen(), network.seqLen());
            in.get(dense, r * network.denseFeatures(), network.denseFeatures());
        }
        return scorer.scoreWithLogits(new FeatureBatch(b, seq, mask, dense)).probabilities();
    }

    @Override
    public void close() {
        scorer.close();
    }
}
