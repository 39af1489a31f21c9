package dev.vigil.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.network.SeededInit;
import dev.vigil.model.network.SyntheticBatches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingGraphsTest {

    static final NetworkConfig CONFIG = SyntheticBatches.smallConfig();

    /** Seeded weights without building the DJL network: the export needs only names and shapes. */
    static NetworkWeights seededWeights(NetworkConfig config, float loraValue) {
        Map<String, FloatTensor> tensors = new TreeMap<>();
        int d = config.dModel();
        put(tensors, config, "input.proj.weight", d, config.seqFeatures());
        put(tensors, config, "input.proj.bias", d);
        put(tensors, config, "input.position", config.seqLen(), d);
        for (int l = 0; l < config.layers(); l++) {
            for (String ln : List.of(".ln1", ".ln2")) {
                put(tensors, config, "layer" + l + ln + ".gamma", d);
                put(tensors, config, "layer" + l + ln + ".beta", d);
            }
            for (String p : List.of("attn.q", "attn.k", "attn.v", "attn.o")) {
                put(tensors, config, "layer" + l + "." + p + ".weight", d, d);
                put(tensors, config, "layer" + l + "." + p + ".bias", d);
            }
            put(tensors, config, "layer" + l + ".ffn.up.weight", config.ffnDim(), d);
            put(tensors, config, "layer" + l + ".ffn.up.bias", config.ffnDim());
            put(tensors, config, "layer" + l + ".ffn.down.weight", d, config.ffnDim());
            put(tensors, config, "layer" + l + ".ffn.down.bias", d);
        }
        put(tensors, config, "encoder.ln.gamma", d);
        put(tensors, config, "encoder.ln.beta", d);
        put(tensors, config, "dense.proj.weight", config.denseHidden(), config.denseFeatures());
        put(tensors, config, "dense.proj.bias", config.denseHidden());
        put(tensors, config, "head.hidden.weight", config.headHidden(), d + config.denseHidden());
        put(tensors, config, "head.hidden.bias", config.headHidden());
        put(tensors, config, "head.out.weight", 1, config.headHidden());
        put(tensors, config, "head.out.bias", 1);
        tensors.put("layer0.attn.q.lora_b", FloatTensor.of(new int[] {1}, new float[] {loraValue}));
        return NetworkWeights.of(config, tensors);
    }

    private static void put(Map<String, FloatTensor> tensors, NetworkConfig config, String name, int... shape) {
        tensors.put(name, SeededInit.initialValues(config.seed(), name, shape));
    }

    @Test
    void baseModelHashDependsOnTheBaseOnlyAndIsReproducible(@TempDir Path dir) {
        ExportedModel first = ServingGraphs.export(seededWeights(CONFIG, 1f), dir.resolve("a"));
        ExportedModel again = ServingGraphs.export(seededWeights(CONFIG, 2f), dir.resolve("b"));
        ExportedModel otherBase = ServingGraphs.export(seededWeights(CONFIG.withSeed(1), 1f), dir.resolve("c"));
        assertThat(again.baseModelHash()).isEqualTo(first.baseModelHash()).hasSize(64);
        assertThat(otherBase.baseModelHash()).isNotEqualTo(first.baseModelHash());
        assertThat(ServingGraphs.sha256(first.int8())).isEqualTo(first.baseModelHash());
        assertThat(first.fp32()).hasFileName("model.fp32.onnx");
        assertThat(first.int8()).hasFileName("model.int8.onnx");
    }

    @Test
    void bothGraphsTakeTheAdapterAsInputsWithASymbolicRank(@TempDir Path dir) throws Exception {
        ExportedModel exported = ServingGraphs.export(seededWeights(CONFIG, 0f), dir);
        for (Path file : List.of(exported.fp32(), exported.int8())) {
            ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
            assertThat(model.getOpsetImport(0).getVersion()).isLessThanOrEqualTo(22);
            assertThat(model.getGraph().getInputList().stream().map(ValueInfoProto::getName))
                    .containsExactly("seq", "seq_mask", "dense", "lora_scale",
                            "layer0.attn.q.lora_a", "layer0.attn.q.lora_b", "layer0.attn.v.lora_a",
                            "layer0.attn.v.lora_b", "layer0.ffn.up.lora_a", "layer0.ffn.up.lora_b");
            ValueInfoProto a = model.getGraph().getInput(4);
            assertThat(a.getType().getTensorType().getShape().getDim(0).getDimParam()).isEqualTo("lora_rank");
            assertThat(model.getGraph().getOutputList().stream().map(ValueInfoProto::getName))
                    .containsExactly("logit", "probability");
            assertThat(model.getGraph().getInitializerList().stream().map(t -> t.getName()))
                    .noneMatch(name -> name.contains("lora"));
        }
        assertThat(ServingGraphs.loraInputNames(CONFIG)).hasSize(6);
    }

    @Test
    void int8GraphQuantizesTheEncoderProjections(@TempDir Path dir) throws Exception {
        ModelProto int8 = ServingGraphs.build(seededWeights(CONFIG, 0f), ServingGraphs.Precision.INT8);
        Map<String, Long> ops = int8.getGraph().getNodeList().stream()
                .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
        // q/k/v as one projection, o, ffn up, ffn down
        assertThat(ops.get("DynamicQuantizeLinear")).isEqualTo(4L);
        assertThat(ops.get("MatMulInteger")).isEqualTo(4L);
        assertThat(int8.getGraph().getInitializerList().stream()
                .filter(t -> t.getDataType() == ai.onnx.proto.OnnxMl.TensorProto.DataType.INT8_VALUE)
                .map(t -> t.getName()))
                .containsExactlyInAnyOrder("layer0.attn.qkv.weight_q", "layer0.attn.o.weight_q",
                        "layer0.ffn.up.weight_q", "layer0.ffn.down.weight_q");
    }
}
