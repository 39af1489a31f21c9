package dev.vigil.model.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A projection y = x W^T + b, optionally with a LoRA adapter: y = x W^T + b + (alpha / r) (x A^T) B^T, with
 * A [r, in] (normal init) and B [out, r] (zeros, so a fresh adapter changes nothing).
 *
 * <p>The LoRA parameters are named {@code loraA} and {@code loraB}, so
 * {@code freezeParameters(true, p -> !p.getName().startsWith("lora"))} freezes exactly the base. The input may
 * have any number of leading dimensions ([B, in] or [B, L, in]).
 */
public final class LoraLinear extends AbstractBlock {

    /** DJL name of the A matrix. */
    public static final String LORA_A = "loraA";
    /** DJL name of the B matrix. */
    public static final String LORA_B = "loraB";

    private final String name;
    private final int inFeatures;
    private final int outFeatures;
    private final int rank;
    private final float scale;
    private final Linear base;
    private final Parameter loraA;
    private final Parameter loraB;

    /**
     * @param name canonical name of the projection, e.g. {@code layer0.attn.q}
     * @param rank LoRA rank, or 0 for a plain projection without adapter
     * @param alpha LoRA alpha (ignored when rank is 0)
     */
    LoraLinear(String name, int inFeatures, int outFeatures, int rank, float alpha) {
        this.name = name;
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.rank = rank;
        this.scale = rank == 0 ? 0f : alpha / rank;
        this.base = addChildBlock("base", Linear.builder().setUnits(outFeatures).build());
        if (rank > 0) {
            loraA = addParameter(Parameter.builder().setName(LORA_A).setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(rank, inFeatures)).build());
            loraB = addParameter(Parameter.builder().setName(LORA_B).setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(outFeatures, rank)).build());
        } else {
            loraA = null;
            loraB = null;
        }
    }

    /** Canonical name, e.g. {@code layer0.attn.q}. */
    public String name() {
        return name;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    /** True when this projection carries a LoRA adapter. */
    public boolean adapted() {
        return rank > 0;
    }

    /** LoRA rank (0 when not adapted). */
    public int rank() {
        return rank;
    }

    /** The frozen base projection. */
    public Linear base() {
        return base;
    }

    /**
     * Parameters under their canonical names: {@code <name>.weight} [out, in], {@code <name>.bias} [out], and when
     * adapted {@code <name>.lora_a} [r, in], {@code <name>.lora_b} [out, r].
     */
    Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put(name + ".weight", base.getParameters().get("weight"));
        named.put(name + ".bias", base.getParameters().get("bias"));
        if (adapted()) {
            named.put(name + ".lora_a", loraA);
            named.put(name + ".lora_b", loraB);
        }
        return named;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = base.forward(parameterStore, inputs, training).singletonOrThrow();
        if (!adapted()) {
            return new NDList(y);
        }
        NDArray a = parameterStore.getValue(loraA, x.getDevice(), training);
        NDArray b = parameterStore.getValue(loraB, x.getDevice(), training);
        // the transposes are views of the parameters, made in the parameters' (the model's) manager; they belong
        // to this pass, so they go to the input's manager (the step's scope) instead of piling up in the model's
        NDArray aT = a.transpose();
        aT.attach(x.getManager());
        NDArray bT = b.transpose();
        bT.attach(x.getManager());
        NDArray product = x.matMul(aT).matMul(bT);
        NDArray delta = product.mul(Scalars.beside(product, scale));
        return new NDList(y.add(delta));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        base.initialize(manager, dataType, new Shape(1, inFeatures));
    }
}
