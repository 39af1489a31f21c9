package dev.vigil.model.scoring;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.onnx.ServingGraphs;
import dev.vigil.schemas.digest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The int8 serving graph's two halves ({@link ServingGraphs.Part#ENCODER}: the sequence to its pooled vector;
 * {@link ServingGraphs.Part#HEAD}: the pooled vector and the dense features to the logit), for attribution by
 * occlusion: a payment's dense feature groups are switched off in the head alone, which costs about a hundredth of a
 * row of the whole graph, and only the sequence group needs the encoder again.
 *
 * <p>The halves are built from the model directory's base weights, and only if those weights rebuild the int8 graph
 * bit for bit (its SHA-256 is the base-model hash): the halves then compute exactly what the served graph does. A
 * directory without base weights, or with weights of another base, has no halves ({@link #load} is empty) and
 * attribution scores whole rows instead.
 *
 * <p>Thread-safe, as {@link OnnxScorer}.
 */
public final class SplitGraphs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SplitGraphs.class);

    private final Half encoder;
    private final Half head;
    private final int pooledSize;

    private SplitGraphs(Half encoder, Half head, int pooledSize) {
        this.encoder = encoder;
        this.head = head;
        this.pooledSize = pooledSize;
    }

    /** The halves of the model's int8 graph, or empty when they cannot be built from its base weights (logged). */
    public static Optional<SplitGraphs> load(ModelDirectory model, ScorerOptions options) {
        if (!Files.isRegularFile(model.file(ModelDirectory.BASE_WEIGHTS))) {
            log.info("no {} in {}: reasons are computed with whole rows", ModelDirectory.BASE_WEIGHTS, model.root());
            return Optional.empty();
        }
        Half encoder = null;
        try {
            NetworkWeights weights = model.baseWeights();
            String rebuilt = Sha256.hex(
                    ServingGraphs.build(weights, ServingGraphs.Precision.INT8).toByteArray());
            if (!rebuilt.equals(model.baseModelHash())) {
                log.warn("{} does not rebuild the int8 graph of {} (hash {} vs {}): reasons are computed with whole "
                        + "rows", ModelDirectory.BASE_WEIGHTS, model.root(), rebuilt, model.baseModelHash());
                return Optional.empty();
            }
            encoder = Half.load(ServingGraphs.build(weights, ServingGraphs.Precision.INT8,
                    ServingGraphs.Part.ENCODER), options);
            Half head = Half.load(ServingGraphs.build(weights, ServingGraphs.Precision.INT8,
                    ServingGraphs.Part.HEAD), options);
            return Optional.of(new SplitGraphs(encoder, head, weights.config().dModel()));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot build the split graphs of {} ({}): reasons are computed with whole rows", model.root(),
                    e.toString());
            if (encoder != null) {
                encoder.close();
            }
            return Optional.empty();
        }
    }

    /** Width of a pooled vector. */
    public int pooledSize() {
        return pooledSize;
    }

    /** The pooled sequence of each of {@code n} rows: [n * pooledSize]. */
    public float[] pooled(int n, float[] seq, float[] seqMask, int seqLen, int seqFeatures, Adapter adapter) {
        return encoder.run(Map.of(
                ServingGraphs.SEQ, new Input(seq, new Shape(n, seqLen, seqFeatures)),
                ServingGraphs.SEQ_MASK, new Input(seqMask, new Shape(n, seqLen))), adapter, ServingGraphs.POOLED);
    }

    /** The logit of each of {@code n} rows of pooled vectors and dense features. */
    public float[] logits(int n, float[] pooled, float[] dense, int denseFeatures, Adapter adapter) {
        return head.run(Map.of(
                ServingGraphs.POOLED, new Input(pooled, new Shape(n, pooledSize)),
                ServingGraphs.DENSE, new Input(dense, new Shape(n, denseFeatures))), adapter, ServingGraphs.LOGIT);
    }

    @Override
    public void close() {
        encoder.close();
        head.close();
    }

    private record Input(float[] values, Shape shape) {}

    /** One half: its session and the adapter inputs it declares. */
    private record Half(ZooModel<NDList, NDList> model, List<String> adapterInputs, boolean scaled) {

        /** Loads a graph through a temporary file (DJL loads models from paths), deleted once it is loaded. */
        static Half load(ModelProto graph, ScorerOptions options) throws IOException {
            List<String> adapterInputs = new ArrayList<>();
            boolean scaled = false;
            for (ValueInfoProto input : graph.getGraph().getInputList()) {
                if (input.getName().endsWith(".lora_a") || input.getName().endsWith(".lora_b")) {
                    adapterInputs.add(input.getName());
                } else if (input.getName().equals(ServingGraphs.LORA_SCALE)) {
                    scaled = true;
                }
            }
            Path file = Files.createTempFile("vigil-split-graph-", ".onnx");
            try {
                Files.write(file, graph.toByteArray());
                return new Half(OnnxScorer.loadModel(file, options, Device.cpu()), List.copyOf(adapterInputs), scaled);
            } finally {
                Files.deleteIfExists(file);
            }
        }

        float[] run(Map<String, Input> inputs, Adapter adapter, String output) {
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDList list = new NDList();
                inputs.forEach((name, input) -> list.add(named(scope.create(input.values(), input.shape()), name)));
                if (scaled) {
                    list.add(named(scope.create(new float[] {adapter.scale()}, new Shape(1)), ServingGraphs.LORA_SCALE));
                }
                for (String name : adapterInputs) {
                    FloatTensor tensor = adapter.tensors().get(name);
                    if (tensor == null) {
                        throw new IllegalArgumentException("the adapter has no tensor " + name);
                    }
                    list.add(named(scope.create(tensor.buffer(), new Shape(tensor.longShape())), name));
                }
                for (NDArray out : model.getBlock().forward(new ParameterStore(scope, false), list, false)) {
                    if (output.equals(out.getName())) {
                        return out.toFloatArray();
                    }
                }
                throw new IllegalStateException("the graph did not return " + output);
            }
        }

        void close() {
            model.close();
        }

        private static NDArray named(NDArray array, String name) {
            array.setName(name);
            return array;
        }
    }
}
