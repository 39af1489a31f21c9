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
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The fraud network as a DJL block, trained on the PyTorch engine:
 *
 * <pre>
 *   seq [B,L,Fs] --input.proj--> + input.position [L,d] --> encoder layer x N (pre-LN) --> encoder.ln
 *        --> masked mean over real positions (seq_mask [B,L]) --> pooled [B,d]
 *   dense [B,Fd] --dense.proj--> GELU --> [B,hd]
 *   concat(pooled, dense tower) --head.hidden--> GELU --head.out--> logit [B] --sigmoid--> probability [B]
 * </pre>
 *
 * Inputs: {@code NDList(seq, seq_mask, dense)}; outputs: {@code NDList(logit, probability)}, both [B].
 *
 * <p>Every parameter has a canonical name ({@code layer0.attn.q.weight}, {@code layer0.attn.q.lora_a}, ...), the
 * same names the ONNX export and the adapter use. Create it with {@link #create}; the initial weights are a pure
 * function of the config's seed (see {@link SeededInit}).
 */
public final class FraudNetwork extends AbstractBlock {

    /**
     * Additive attention bias of a padding position. Large enough that exp() underflows to exactly 0 next to any
     * real position; finite, so an all-padding row gives a uniform softmax instead of NaN.
     */
    public static final float MASK_FILL = -1e9f;

    private final NetworkConfig config;
    private final LoraLinear inputProj;
    private final Parameter position;
    private final List<EncoderLayer> layers = new ArrayList<>();
    private final LayerNorm encoderLn;
    private final LoraLinear denseProj;
    private final LoraLinear headHidden;
    private final LoraLinear headOut;
    private final Map<String, Parameter> named;

    private FraudNetwork(NetworkConfig config) {
        this.config = config;
        int d = config.dModel();
        inputProj = addChildBlock("input", new LoraLinear("input.proj", config.seqFeatures(), d, 0, 1f));
        position = addParameter(Parameter.builder().setName("position").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.seqLen(), d)).build());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new EncoderLayer(config, i)));
        }
        encoderLn = addChildBlock("encoder_ln", LayerNorm.builder().axis(2).build());
        denseProj = addChildBlock("dense", new LoraLinear("dense.proj", config.denseFeatures(),
                config.denseHidden(), 0, 1f));
        int headRank = config.loraTargets().contains(LoraTarget.HEAD) ? config.loraRank() : 0;
        headHidden = addChildBlock("head_hidden", new LoraLinear(LoraTarget.HEAD.projectionName(0),
                config.inFeatures(LoraTarget.HEAD), config.headHidden(), headRank, config.loraAlpha()));
        headOut = addChildBlock("head_out", new LoraLinear("head.out", config.headHidden(), 1, 0, 1f));

        Map<String, Parameter> map = new LinkedHashMap<>();
        map.putAll(inputProj.namedParameters());
        map.put("input.position", position);
        for (EncoderLayer layer : layers) {
            map.putAll(layer.namedParameters());
        }
        map.put("encoder.ln.gamma", encoderLn.getParameters().get("gamma"));
        map.put("encoder.ln.beta", encoderLn.getParameters().get("beta"));
        map.putAll(denseProj.namedParameters());
        map.putAll(headHidden.namedParameters());
        map.putAll(headOut.namedParameters());
        named = Collections.unmodifiableMap(map);
    }

    /** A network with the seeded initial weights of {@code config.seed()}, its arrays owned by {@code manager}. */
    public static FraudNetwork create(NDManager manager, NetworkConfig config) {
        return build(manager, config, (name, shape) -> SeededInit.initialValues(config.seed(), name, shape));
    }

    /**
     * A network holding the given weights (e.g. a trained base read back from disk). Tensors missing from
     * {@code weights} that are LoRA tensors get their seeded initial values (a zero adapter); any other missing
     * tensor is an error.
     */
    public static FraudNetwork create(NDManager manager, NetworkWeights weights) {
        NetworkConfig config = weights.config();
        return build(manager, config, (name, shape) -> {
            FloatTensor tensor = weights.tensors().get(name);
            if (tensor == null) {
                if (name.endsWith(".lora_a") || name.endsWith(".lora_b")) {
                    return SeededInit.initialValues(config.seed(), name, shape);
                }
                throw new IllegalArgumentException("weights lack tensor " + name);
            }
            return tensor;
        });
    }

    private static FraudNetwork build(
            NDManager manager, NetworkConfig config, BiFunction<String, int[], FloatTensor> values) {
        FraudNetwork network = new FraudNetwork(config);
        network.named.forEach((name, parameter) -> parameter.setInitializer(
                seeded(name, values)));
        Shape batchOne = new Shape(1);
        network.initialize(manager, DataType.FLOAT32,
                batchOne.addAll(new Shape(config.seqLen(), config.seqFeatures())),
                batchOne.addAll(new Shape(config.seqLen())),
                batchOne.addAll(new Shape(config.denseFeatures())));
        return network;
    }

    private static Initializer seeded(String name, BiFunction<String, int[], FloatTensor> values) {
        return (manager, shape, dataType) -> {
            int[] dims = toInts(shape);
            FloatTensor tensor = values.apply(name, dims);
            if (!java.util.Arrays.equals(tensor.shape(), dims)) {
                throw new IllegalArgumentException("tensor " + name + " has shape "
                        + java.util.Arrays.toString(tensor.shape()) + ", the network needs " + shape);
            }
            return manager.create(tensor.values(), shape);
        };
    }

    static int[] toInts(Shape shape) {
        int[] dims = new int[shape.dimension()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Math.toIntExact(shape.get(i));
        }
        return dims;
    }

    public NetworkConfig config() {
        return config;
    }

    /** The encoder layers. */
    public List<EncoderLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** All parameters under their canonical names, in a fixed order. */
    public Map<String, Parameter> namedParameters() {
        return named;
    }

    /** The projections that carry a LoRA adapter, in a fixed order. */
    public List<LoraLinear> adaptedProjections() {
        List<LoraLinear> adapted = new ArrayList<>();
        for (EncoderLayer layer : layers) {
            layer.projections().stream().filter(LoraLinear::adapted).forEach(adapted::add);
        }
        if (headHidden.adapted()) {
            adapted.add(headHidden);
        }
        return adapted;
    }

    /** True for the canonical name of a LoRA tensor. */
    public static boolean isLoraTensor(String name) {
        return name.endsWith(".lora_a") || name.endsWith(".lora_b");
    }

    /** The current value of one parameter. */
    /**
     * Moves the parameter {@code name} towards {@code anchor} in place: {@code p = anchor + shrink * (p - anchor)},
     * without autograd and without copying through the JVM (a proximal step between optimiser steps). The anchor is
     * an array of the parameter's shape, e.g. from {@link #anchorOf}.
     */
    public void shrinkTowards(String name, ai.djl.ndarray.NDArray anchor, float shrink) {
        Parameter parameter = named.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter " + name + "; known: " + named.keySet());
        }
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            parameter.getArray().subi(anchor).muli(shrink).addi(anchor);
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
    }

    /** A copy of {@code value} as an array beside the parameter {@code name} (same manager, device and shape). */
    public ai.djl.ndarray.NDArray anchorOf(String name, FloatTensor value) {
        Parameter parameter = named.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter " + name + "; known: " + named.keySet());
        }
        ai.djl.ndarray.NDArray array = parameter.getArray();
        return array.getManager().create(value.values(), array.getShape());
    }

    public FloatTensor tensor(String name) {
        Parameter parameter = named.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter " + name + "; known: " + named.keySet());
        }
        NDArray array = parameter.getArray();
        return FloatTensor.of(toInts(array.getShape()), array.toFloatArray());
    }

    /** Overwrites one parameter in place (its shape must match). Used to load adapters. */
    public void setTensor(String name, FloatTensor value) {
        Parameter parameter = named.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter " + name + "; known: " + named.keySet());
        }
        NDArray array = parameter.getArray();
        if (!java.util.Arrays.equals(toInts(array.getShape()), value.shape())) {
            throw new IllegalArgumentException("tensor " + name + " has shape "
                    + java.util.Arrays.toString(value.shape()) + ", the network needs " + array.getShape());
        }
        array.set(value.values());
    }

    /** A snapshot of every weight (base and LoRA) under its canonical name. */
    public NetworkWeights weights() {
        Map<String, FloatTensor> tensors = new TreeMap<>();
        named.keySet().forEach(name -> tensors.put(name, tensor(name)));
        return NetworkWeights.of(config, tensors);
    }

    /** Parameters counted from the arrays themselves (base vs LoRA). */
    public ParameterCount parameterCount() {
        long base = 0;
        long lora = 0;
        for (Map.Entry<String, Parameter> entry : named.entrySet()) {
            long size = entry.getValue().getArray().getShape().size();
            if (isLoraTensor(entry.getKey())) {
                lora += size;
            } else {
                base += size;
            }
        }
        return new ParameterCount(base, lora);
    }

    /**
     * Sets which parameters train. {@link TrainingPhase#BASE}: everything but the adapter (B stays 0, so the
     * adapter stays a no-op); {@link TrainingPhase#ADAPTER}: only the adapter, the base frozen.
     */
    public void prepareFor(TrainingPhase phase) {
        freezeParameters(false);
        switch (phase) {
            case BASE -> freezeParameters(true, p -> p.getName().startsWith("lora"));
            case ADAPTER -> freezeParameters(true, p -> !p.getName().startsWith("lora"));
            default -> throw new IllegalArgumentException("unknown phase " + phase);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray seq = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray dense = inputs.get(2);
        long batch = seq.getShape().get(0);

        NDArray x = inputProj.forward(ps, new NDList(seq), training).singletonOrThrow()
                .add(ps.getValue(position, seq.getDevice(), training));
        NDArray maskBias = Scalars.beside(mask, 1f).sub(mask).mul(Scalars.beside(mask, MASK_FILL))
                .reshape(batch, 1, 1, config.seqLen());
        for (EncoderLayer layer : layers) {
            x = layer.forward(ps, new NDList(x, maskBias), training).singletonOrThrow();
        }
        x = encoderLn.forward(ps, new NDList(x), training).singletonOrThrow();

        NDArray summed = x.mul(mask.expandDims(2)).sum(new int[] {1});
        NDArray count = mask.sum(new int[] {1}, true).maximum(Scalars.beside(mask, 1f));
        NDArray pooled = summed.div(count);

        NDArray denseOut = Activation.gelu(denseProj.forward(ps, new NDList(dense), training).singletonOrThrow());
        NDArray joined = pooled.concat(denseOut, 1);
        NDArray hidden = Activation.gelu(headHidden.forward(ps, new NDList(joined), training).singletonOrThrow());
        NDArray logit = headOut.forward(ps, new NDList(hidden), training).singletonOrThrow().reshape(batch);
        return new NDList(logit, Activation.sigmoid(logit));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape batch = new Shape(inputShapes[0].get(0));
        return new Shape[] {batch, batch};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inputProj.initialize(manager, dataType, new Shape(1, config.seqLen(), config.seqFeatures()));
        for (EncoderLayer layer : layers) {
            layer.initialize(manager, dataType, new Shape(1, config.seqLen(), config.dModel()),
                    new Shape(1, 1, 1, config.seqLen()));
        }
        encoderLn.initialize(manager, dataType, new Shape(1, config.seqLen(), config.dModel()));
        denseProj.initialize(manager, dataType, new Shape(1, config.denseFeatures()));
        headHidden.initialize(manager, dataType, new Shape(1, config.inFeatures(LoraTarget.HEAD)));
        headOut.initialize(manager, dataType, new Shape(1, config.headHidden()));
    }
}
