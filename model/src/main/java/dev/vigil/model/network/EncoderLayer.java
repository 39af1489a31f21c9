package dev.vigil.model.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pre-LN transformer encoder layer:
 *
 * <pre>
 *   x = x + O(attention(Q(LN1(x)), K(LN1(x)), V(LN1(x)), mask))
 *   x = x + DOWN(GELU(UP(LN2(x))))
 * </pre>
 *
 * Attention is written out here rather than taken from {@code ai.djl.nn.transformer}, whose blocks are not the
 * standard encoder (BatchNorm, fixed lengths); the ONNX export writes exactly the same operations.
 *
 * <p>Inputs: x [B, L, d] and the additive attention mask bias [B, 1, 1, L] (0 for a real position, -1e9 for
 * padding). A row whose mask is all padding attends uniformly to padding: finite, and pooled away later.
 */
public final class EncoderLayer extends AbstractBlock {

    private final NetworkConfig config;
    private final String name;
    private final LayerNorm ln1;
    private final LoraLinear q;
    private final LoraLinear k;
    private final LoraLinear v;
    private final LoraLinear o;
    private final LayerNorm ln2;
    private final LoraLinear up;
    private final LoraLinear down;

    EncoderLayer(NetworkConfig config, int index) {
        this.config = config;
        this.name = "layer" + index;
        ln1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
        q = addChildBlock("q", projection(LoraTarget.Q, index));
        k = addChildBlock("k", projection(LoraTarget.K, index));
        v = addChildBlock("v", projection(LoraTarget.V, index));
        o = addChildBlock("o", projection(LoraTarget.O, index));
        ln2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
        up = addChildBlock("up", projection(LoraTarget.FFN_UP, index));
        down = addChildBlock("down", projection(LoraTarget.FFN_DOWN, index));
    }

    private LoraLinear projection(LoraTarget target, int index) {
        int rank = config.loraTargets().contains(target) ? config.loraRank() : 0;
        return new LoraLinear(target.projectionName(index), config.inFeatures(target), config.outFeatures(target),
                rank, config.loraAlpha());
    }

    /** The projections of this layer in the order q, k, v, o, up, down. */
    public List<LoraLinear> projections() {
        return List.of(q, k, v, o, up, down);
    }

    Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put(name + ".ln1.gamma", ln1.getParameters().get("gamma"));
        named.put(name + ".ln1.beta", ln1.getParameters().get("beta"));
        for (LoraLinear projection : List.of(q, k, v, o)) {
            named.putAll(projection.namedParameters());
        }
        named.put(name + ".ln2.gamma", ln2.getParameters().get("gamma"));
        named.put(name + ".ln2.beta", ln2.getParameters().get("beta"));
        named.putAll(up.namedParameters());
        named.putAll(down.namedParameters());
        return named;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray maskBias = inputs.get(1);
        long batch = x.getShape().get(0);
        int seqLen = config.seqLen();
        int heads = config.heads();
        int headDim = config.headDim();

        NDList h = ln1.forward(ps, new NDList(x), training);
        NDArray queries = heads(q.forward(ps, h, training).singletonOrThrow(), batch);
        NDArray keys = heads(k.forward(ps, h, training).singletonOrThrow(), batch);
        NDArray values = heads(v.forward(ps, h, training).singletonOrThrow(), batch);

        NDArray products = queries.matMul(keys.transpose(0, 1, 3, 2));
        NDArray scores = products.mul(Scalars.beside(products, 1f / (float) Math.sqrt(headDim))).add(maskBias);
        NDArray context = scores.softmax(-1).matMul(values)
                .transpose(0, 2, 1, 3)
                .reshape(batch, seqLen, (long) heads * headDim);
        x = x.add(o.forward(ps, new NDList(context), training).singletonOrThrow());

        NDList h2 = ln2.forward(ps, new NDList(x), training);
        NDArray hidden = Activation.gelu(up.forward(ps, h2, training).singletonOrThrow());
        x = x.add(down.forward(ps, new NDList(hidden), training).singletonOrThrow());
        return new NDList(x);
    }

    /** [B, L, d] -> [B, H, L, d/H]. */
    private NDArray heads(NDArray projected, long batch) {
        return projected.reshape(batch, config.seqLen(), config.heads(), config.headDim()).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = new Shape(1, config.seqLen(), config.dModel());
        ln1.initialize(manager, dataType, tokens);
        ln2.initialize(manager, dataType, tokens);
        for (LoraLinear projection : projections()) {
            projection.initialize(manager, dataType, new Shape(1, config.seqLen(), projection.inFeatures()));
        }
    }
}
