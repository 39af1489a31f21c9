package dev.vigil.model.onnx;

import static dev.vigil.model.onnx.GraphWriter.attr;
import static dev.vigil.model.onnx.GraphWriter.attrs;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudNetwork;
import dev.vigil.model.network.LoraTarget;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.schemas.digest.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the serving graphs of a {@link FraudNetwork} as ONNX: the same operations as the DJL network, from its
 * weights, in fp32 or with an int8 base.
 *
 * <h2>Inputs and outputs (both precisions)</h2>
 * <ul>
 *   <li>{@code seq} float [batch, seqLen, seqFeatures], {@code seq_mask} float [batch, seqLen],
 *       {@code dense} float [batch, denseFeatures]</li>
 *   <li>{@code lora_scale} float [1] = alpha / r of the adapter</li>
 *   <li>per adapted projection p (e.g. {@code layer0.attn.q}): {@code p.lora_a} float [lora_rank, in] and
 *       {@code p.lora_b} float [out, lora_rank]; lora_rank is a symbolic dimension, so any rank runs</li>
 *   <li>outputs {@code logit} and {@code probability}, float [batch]</li>
 * </ul>
 * The adapter is an input, never a weight: swapping it is a tensor swap, and the graph bytes (and hash) depend on
 * the base alone.
 *
 * <h2>Int8</h2>
 * The encoder projections (q, k, v, o, ffn up, ffn down: 87% of the weights and 95% of the multiply-adds) have int8
 * weights, symmetric per output channel ({@link QuantizedWeight}); their activations are quantized dynamically:
 * {@code DynamicQuantizeLinear} (uint8, scale, zero point per tensor) -> {@code MatMulInteger} (u8 x s8) ->
 * {@code Cast} -> {@code Mul}(activation scale x channel scales) -> {@code Add}(bias), the pattern ONNX Runtime
 * fuses into one {@code DynamicQuantizeMatMul} kernel. q, k and v are one [d, 3d] matrix so that one activation
 * quantization feeds all three. The input projection, dense tower and head stay fp32: they read raw features,
 * where one per-tensor activation scale would cost accuracy, and they are under 2% of the compute. The LoRA
 * path stays fp32 everywhere: (x A^T)(B^T * lora_scale), added to the base projection's output.
 */
public final class ServingGraphs {

    /** Input names. */
    public static final String SEQ = "seq";
    public static final String SEQ_MASK = "seq_mask";
    public static final String DENSE = "dense";
    public static final String LORA_SCALE = "lora_scale";
    /** Output names. */
    public static final String LOGIT = "logit";
    public static final String PROBABILITY = "probability";
    /** File names written by {@link #export}. */
    public static final String FP32_FILE = "model.fp32.onnx";
    public static final String INT8_FILE = "model.int8.onnx";
    public static final String BASE_HASH_FILE = "base-model.sha256";

    /** Epsilon of every LayerNormalization (DJL's default). */
    static final float LAYER_NORM_EPSILON = 1e-5f;

    /** Numeric precision of the base weights. */
    public enum Precision {
        /** Every weight float32. */
        FP32,
        /** Encoder projections int8 with dynamic int8 activations, as ONNX Runtime fuses them. */
        INT8,
        /**
         * Same arithmetic as {@link #INT8}, written directly as ONNX Runtime's {@code com.microsoft}
         * DynamicQuantizeMatMul (for runtimes or levels that do not fuse); not portable beyond ONNX Runtime.
         */
        INT8_CONTRIB
    }

    /** Output of the {@link Part#ENCODER} graph, input of the {@link Part#HEAD} graph: the pooled sequence. */
    public static final String POOLED = "pooled";

    /**
     * Which part of the network a graph computes. The whole network is what serving scores with (and what the
     * base-model hash covers); its two halves, split where the pooled sequence meets the dense features, are built
     * from the same weights for attribution: occluding a group of dense features changes only the head, so the
     * sequence encoder (about 99% of the multiply-adds) runs once per explained payment instead of once per group.
     */
    public enum Part {
        /** seq, seq_mask, dense -> logit, probability. */
        WHOLE,
        /** seq, seq_mask -> pooled [batch, d], with the adapter inputs of the encoder's projections. */
        ENCODER,
        /** pooled, dense -> logit, probability, with the adapter inputs of the head's projections (if any). */
        HEAD
    }

    private ServingGraphs() {}

    /** The serving graph of {@code weights} (LoRA tensors in it are ignored: the adapter is an input). */
    public static ModelProto build(NetworkWeights weights, Precision precision) {
        return build(weights, precision, Part.WHOLE);
    }

    /** One part of the serving graph of {@code weights} ({@link Part}). */
    public static ModelProto build(NetworkWeights weights, Precision precision, Part part) {
        return new Builder(weights, precision, part).build();
    }

    /**
     * Writes {@value #FP32_FILE}, {@value #INT8_FILE} and {@value #BASE_HASH_FILE} (the SHA-256 of the int8 graph,
     * the base-model hash adapters are bound to) into {@code directory}.
     */
    public static ExportedModel export(NetworkWeights weights, Path directory) {
        try {
            Files.createDirectories(directory);
            Path fp32 = directory.resolve(FP32_FILE);
            Path int8 = directory.resolve(INT8_FILE);
            Files.write(fp32, build(weights, Precision.FP32).toByteArray());
            byte[] int8Bytes = build(weights, Precision.INT8).toByteArray();
            Files.write(int8, int8Bytes);
            String hash = Sha256.hex(int8Bytes);
            Files.writeString(directory.resolve(BASE_HASH_FILE), hash + "  " + INT8_FILE + "\n");
            return new ExportedModel(fp32, int8, hash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the serving graphs to " + directory, e);
        }
    }

    /** SHA-256 (lower-case hex) of a graph file: the base-model hash when it is the int8 graph. */
    public static String sha256(Path graphFile) {
        try {
            return Sha256.hexOfFile(graphFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + graphFile, e);
        }
    }

    /** Names of the adapter inputs of a graph for {@code config}, in graph order (A then B per projection). */
    public static List<String> loraInputNames(NetworkConfig config) {
        List<String> names = new ArrayList<>();
        for (String projection : config.adaptedProjections()) {
            names.add(projection + ".lora_a");
            names.add(projection + ".lora_b");
        }
        return names;
    }

    private static final class Builder {
        private final NetworkWeights weights;
        private final NetworkConfig config;
        private final Precision precision;
        private final Part part;
        private final GraphWriter g;
        private final Map<String, String> loraA = new LinkedHashMap<>();
        private final Map<String, String> loraB = new LinkedHashMap<>();
        private String loraScale;

        Builder(NetworkWeights weights, Precision precision, Part part) {
            this.weights = weights;
            this.config = weights.config();
            this.precision = precision;
            this.part = part;
            this.g = new GraphWriter("vigil_fraud_" + precision.name().toLowerCase(Locale.ROOT)
                    + (part == Part.WHOLE ? "" : "_" + part.name().toLowerCase(Locale.ROOT)));
        }

        /** Whether this part of the graph holds {@code projection} (encoder layers, or the input, dense and head). */
        private boolean holds(String projection) {
            boolean encoder = projection.startsWith("layer");
            return part == Part.WHOLE || (part == Part.ENCODER) == encoder;
        }

        ModelProto build() {
            int l = config.seqLen();
            int d = config.dModel();
            String seq = part == Part.HEAD ? null : g.input(SEQ, DataType.FLOAT, "batch", l, config.seqFeatures());
            String mask = part == Part.HEAD ? null : g.input(SEQ_MASK, DataType.FLOAT, "batch", l);
            String pooledIn = part == Part.HEAD ? g.input(POOLED, DataType.FLOAT, "batch", d) : null;
            String dense = part == Part.ENCODER ? null : g.input(DENSE, DataType.FLOAT, "batch", config.denseFeatures());
            boolean adapted = config.adaptedProjections().stream().anyMatch(this::holds);
            if (adapted || part == Part.WHOLE) {
                loraScale = g.input(LORA_SCALE, DataType.FLOAT, 1);
            }
            for (String projection : config.adaptedProjections()) {
                if (!holds(projection)) {
                    continue;
                }
                LoraTarget target = LoraTarget.ofProjection(projection);
                loraA.put(projection, g.input(projection + ".lora_a", DataType.FLOAT, "lora_rank",
                        config.inFeatures(target)));
                loraB.put(projection, g.input(projection + ".lora_b", DataType.FLOAT, config.outFeatures(target),
                        "lora_rank"));
            }

            String pooled = pooledIn;
            if (part != Part.HEAD) {
                pooled = encoder(seq, mask, l, d);
            }
            if (part == Part.ENCODER) {
                g.nodeNamed("Identity", POOLED, List.of(pooled));
                g.output(POOLED, DataType.FLOAT, "batch", d);
            } else {
                String denseOut = gelu("dense", linearFp32("dense.proj", dense));
                String joined = g.node("Concat", "head", List.of(pooled, denseOut), attr("axis", 1));
                String hidden = gelu("head.hidden", withLora("head.hidden", joined, linearFp32("head.hidden", joined)));
                String logit2d = linearFp32("head.out", hidden);
                String logit = g.nodeNamed("Reshape", LOGIT, List.of(logit2d, g.longs("shape_flat", -1)));
                g.nodeNamed("Sigmoid", PROBABILITY, List.of(logit));
                g.output(LOGIT, DataType.FLOAT, "batch");
                g.output(PROBABILITY, DataType.FLOAT, "batch");
            }

            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("vigil.precision", precision.name());
            metadata.put("vigil.seq_len", Integer.toString(l));
            metadata.put("vigil.seq_features", Integer.toString(config.seqFeatures()));
            metadata.put("vigil.dense_features", Integer.toString(config.denseFeatures()));
            metadata.put("vigil.lora_rank", Integer.toString(config.loraRank()));
            metadata.put("vigil.lora_alpha", Float.toString(config.loraAlpha()));
            metadata.put("vigil.lora_targets", config.loraTargets().toString());
            metadata.put("vigil.network_config", config.toString());
            if (part != Part.WHOLE) {
                metadata.put("vigil.part", part.name());
            }
            return g.model("Vigil fraud network, " + precision + " base, LoRA adapter as inputs", metadata,
                    precision == Precision.INT8_CONTRIB);
        }

        /** The sequence encoder and its masked mean pooling: [batch, L, Fs] -> [batch, d]. */
        private String encoder(String seq, String mask, int l, int d) {
            String x = g.node("Add", "input", List.of(linearFp32("input.proj", seq),
                    g.floats("input.position", weights.tensor("input.position").values(), l, d)));
            String notReal = g.node("Sub", "mask", List.of(g.scalar("one", 1f), mask));
            String maskBias = g.node("Unsqueeze", "mask", List.of(
                    g.node("Mul", "mask", List.of(notReal, g.scalar("mask_fill", FraudNetwork.MASK_FILL))),
                    g.longs("axes_1_2", 1, 2)));
            for (int layer = 0; layer < config.layers(); layer++) {
                x = encoderLayer(layer, x, maskBias);
            }
            x = layerNorm("encoder.ln", x);

            String weighted = g.node("Mul", "pool", List.of(x, g.node("Unsqueeze", "pool",
                    List.of(mask, g.longs("axes_2", 2)))));
            String summed = g.node("ReduceSum", "pool", List.of(weighted, g.longs("axes_1", 1)), attr("keepdims", 0));
            String count = g.node("Max", "pool", List.of(
                    g.node("ReduceSum", "pool", List.of(mask, g.longs("axes_1", 1)), attr("keepdims", 1)),
                    g.scalar("one", 1f)));
            return g.node("Div", "pool", List.of(summed, count));
        }

        private String encoderLayer(int layer, String x, String maskBias) {
            String p = "layer" + layer;
            int l = config.seqLen();
            int d = config.dModel();
            int heads = config.heads();
            int headDim = config.headDim();

            String h = layerNorm(p + ".ln1", x);
            // q, k and v as one [d, 3d] projection: one activation quantization and one GEMM for all three
            List<String> qkv = g.nodeMulti("Split", p + ".attn", List.of(
                    linear(p + ".attn.qkv", h, concatRows(p + ".attn.q", p + ".attn.k", p + ".attn.v"),
                            concat(p + ".attn.q.bias", p + ".attn.k.bias", p + ".attn.v.bias"), true),
                    g.longs("split_3d", d, d, d)), 3, attr("axis", -1));
            String q = withLora(p + ".attn.q", h, qkv.get(0));
            String k = withLora(p + ".attn.k", h, qkv.get(1));
            String v = withLora(p + ".attn.v", h, qkv.get(2));

            String headsShape = g.longs("shape_heads", -1, l, heads, headDim);
            String q4 = g.node("Transpose", p + ".attn", List.of(g.node("Reshape", p + ".attn",
                    List.of(q, headsShape))), attrs("perm", 0, 2, 1, 3));
            String kT = g.node("Transpose", p + ".attn", List.of(g.node("Reshape", p + ".attn",
                    List.of(k, headsShape))), attrs("perm", 0, 2, 3, 1));
            String v4 = g.node("Transpose", p + ".attn", List.of(g.node("Reshape", p + ".attn",
                    List.of(v, headsShape))), attrs("perm", 0, 2, 1, 3));
            String scores = g.node("Add", p + ".attn", List.of(
                    g.node("Mul", p + ".attn", List.of(g.node("MatMul", p + ".attn", List.of(q4, kT)),
                            g.scalar("attn_scale", 1f / (float) Math.sqrt(headDim)))),
                    maskBias));
            String probs = g.node("Softmax", p + ".attn", List.of(scores), attr("axis", -1));
            String context = g.node("Reshape", p + ".attn", List.of(
                    g.node("Transpose", p + ".attn", List.of(g.node("MatMul", p + ".attn", List.of(probs, v4))),
                            attrs("perm", 0, 2, 1, 3)),
                    g.longs("shape_tokens", -1, l, d)));
            String o = withLora(p + ".attn.o", context, linear(p + ".attn.o", context, true));
            x = g.node("Add", p, List.of(x, o));

            String h2 = layerNorm(p + ".ln2", x);
            String up = gelu(p + ".ffn.up", withLora(p + ".ffn.up", h2, linear(p + ".ffn.up", h2, true)));
            String down = withLora(p + ".ffn.down", up, linear(p + ".ffn.down", up, true));
            return g.node("Add", p, List.of(x, down));
        }

        /**
         * LayerNorm over the last axis, written out: y = (x - mean) / sqrt(var + eps) * gamma + beta with the
         * two-pass variance, as PyTorch computes it. ONNX Runtime's own LayerNormalization kernel is scalar on CPU
         * (about 5 ns an element here: half of the int8 graph's time at batch 64, measured with ORT's profiler);
         * these vectorised element-wise operators take a fraction of that. The variance as Mul(d, d) rather than
         * Pow keeps ORT's LayerNormFusion from folding them back into that kernel.
         */
        private String layerNorm(String name, String x) {
            int d = config.dModel();
            String axes = g.longs("axes_last", -1);
            String mean = g.node("ReduceMean", name, List.of(x, axes), attr("keepdims", 1));
            String centered = g.node("Sub", name, List.of(x, mean));
            String variance = g.node("ReduceMean", name, List.of(g.node("Mul", name, List.of(centered, centered)),
                    axes), attr("keepdims", 1));
            String std = g.node("Sqrt", name, List.of(
                    g.node("Add", name, List.of(variance, g.scalar("layer_norm_eps", LAYER_NORM_EPSILON)))));
            String scaled = g.node("Mul", name, List.of(g.node("Div", name, List.of(centered, std)),
                    g.floats(name + ".gamma", weights.tensor(name + ".gamma").values(), d)));
            return g.node("Add", name, List.of(scaled,
                    g.floats(name + ".beta", weights.tensor(name + ".beta").values(), d)));
        }

        private String gelu(String name, String x) {
            return g.node("Gelu", name, List.of(x));
        }

        private String linearFp32(String name, String x) {
            return linear(name, x, weights.tensor(name + ".weight"), weights.tensor(name + ".bias"), false);
        }

        private String linear(String name, String x, boolean quantizable) {
            return linear(name, x, weights.tensor(name + ".weight"), weights.tensor(name + ".bias"), quantizable);
        }

        /** x W^T + b, with W [out, in] as DJL stores it; int8 when the precision and the projection allow. */
        private String linear(String name, String x, FloatTensor weight, FloatTensor bias, boolean quantizable) {
            int out = weight.dim(0);
            int in = weight.dim(1);
            String b = g.floats(name + ".bias", bias.values(), out);
            if (!quantizable || precision == Precision.FP32) {
                String w = g.floats(name + ".weight_t", transpose(weight), in, out);
                return g.node("Add", name, List.of(g.node("MatMul", name, List.of(x, w)), b));
            }
            QuantizedWeight quantized = QuantizedWeight.quantize(weight);
            String w = g.int8s(name + ".weight_q", quantized.transposed(), in, out);
            String scales = g.floats(name + ".weight_scale", quantized.scales(), out);
            if (precision == Precision.INT8_CONTRIB) {
                return g.nodeInDomain("com.microsoft", "DynamicQuantizeMatMul", name, List.of(x, w, scales, "", b));
            }
            List<String> quantizedX = g.nodeMulti("DynamicQuantizeLinear", name, List.of(x), 3);
            String integer = g.node("MatMulInteger", name, List.of(quantizedX.get(0), w, quantizedX.get(2)));
            String asFloat = g.node("Cast", name, List.of(integer), attr("to", (long) DataType.FLOAT.getNumber()));
            String scale = g.node("Mul", name, List.of(quantizedX.get(1), scales));
            return g.node("Add", name, List.of(g.node("Mul", name, List.of(asFloat, scale)), b));
        }

        /** base + (x A^T)(B^T lora_scale) when {@code projection} is adapted, else base. */
        private String withLora(String projection, String x, String base) {
            String a = loraA.get(projection);
            if (a == null) {
                return base;
            }
            String p = projection + ".lora";
            String down = g.node("MatMul", p, List.of(x, g.node("Transpose", p, List.of(a), attrs("perm", 1, 0))));
            String scaledB = g.node("Mul", p, List.of(loraB.get(projection), loraScale));
            String delta = g.node("MatMul", p, List.of(down,
                    g.node("Transpose", p, List.of(scaledB), attrs("perm", 1, 0))));
            return g.node("Add", p, List.of(base, delta));
        }

        private FloatTensor concatRows(String... projections) {
            List<FloatTensor> parts = new ArrayList<>();
            int rows = 0;
            for (String projection : projections) {
                FloatTensor w = weights.tensor(projection + ".weight");
                parts.add(w);
                rows += w.dim(0);
            }
            int cols = parts.get(0).dim(1);
            float[] values = new float[rows * cols];
            int offset = 0;
            for (FloatTensor part : parts) {
                System.arraycopy(part.values(), 0, values, offset, part.size());
                offset += part.size();
            }
            return FloatTensor.of(new int[] {rows, cols}, values);
        }

        private FloatTensor concat(String... names) {
            int size = 0;
            for (String name : names) {
                size += weights.tensor(name).size();
            }
            float[] values = new float[size];
            int offset = 0;
            for (String name : names) {
                FloatTensor t = weights.tensor(name);
                System.arraycopy(t.values(), 0, values, offset, t.size());
                offset += t.size();
            }
            return FloatTensor.of(new int[] {size}, values);
        }

        private static float[] transpose(FloatTensor weight) {
            int out = weight.dim(0);
            int in = weight.dim(1);
            float[] w = weight.values();
            float[] t = new float[in * out];
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    t[i * out + j] = w[j * in + i];
                }
            }
            return t;
        }
    }
}
