package dev.vigil.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.LoraTarget;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.onnx.ServingGraphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The files of a trained model, all in one directory ({@code models/NAME}):
 *
 * <table>
 *   <tr><td>{@value #FP32}, {@value #INT8}</td><td>the serving graphs (ONNX; the adapter is an input)</td></tr>
 *   <tr><td>{@value #BASE_HASH}</td><td>SHA-256 of the int8 graph: the base-model hash adapters are bound to</td></tr>
 *   <tr><td>{@value #BASE_WEIGHTS}</td><td>the base weights for DJL ({@code NetworkWeights.encode}), so that
 *       the feedback loop can tune later adapters on the same frozen base</td></tr>
 *   <tr><td>{@value #ADAPTER}, {@value #ADAPTER_META}</td><td>the first adapter ({@code Adapter.encode}: VGLA v1)
 *       and its release metadata: version, parent, base-model hash, SHA-256, window, metrics</td></tr>
 *   <tr><td>{@value #FEATURE_SPEC}</td><td>the feature specification the inputs were encoded with</td></tr>
 *   <tr><td>{@value #NETWORK_CONFIG}</td><td>the network's shape ({@link NetworkConfig})</td></tr>
 *   <tr><td>{@value #BASELINE}</td><td>the XGBoost baseline, XGBoost's JSON model format</td></tr>
 *   <tr><td>{@value #CARD_JSON}, {@value #CARD_MD}</td><td>the model card</td></tr>
 * </table>
 */
public record ModelDirectory(Path root) {

    public static final String FP32 = ServingGraphs.FP32_FILE;
    public static final String INT8 = ServingGraphs.INT8_FILE;
    public static final String BASE_HASH = ServingGraphs.BASE_HASH_FILE;
    public static final String BASE_WEIGHTS = "base-weights.bin";
    public static final String ADAPTER = "adapter.bin";
    public static final String ADAPTER_META = "adapter.json";
    public static final String FEATURE_SPEC = "feature-spec.json";
    public static final String NETWORK_CONFIG = "network-config.json";
    public static final String BASELINE = "baseline.xgboost.json";
    public static final String CARD_JSON = "model-card.json";
    public static final String CARD_MD = "model-card.md";

    /** Every file a complete model directory holds, in the order the card lists them. */
    public static final List<String> FILES = List.of(INT8, FP32, BASE_HASH, BASE_WEIGHTS, ADAPTER, ADAPTER_META,
            FEATURE_SPEC, NETWORK_CONFIG, BASELINE, CARD_JSON, CARD_MD);

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Path fp32() {
        return root.resolve(FP32);
    }

    public Path int8() {
        return root.resolve(INT8);
    }

    public Path file(String name) {
        return root.resolve(name);
    }

    /** The files of {@link #FILES} that are missing. */
    public List<String> missingFiles() {
        List<String> missing = new ArrayList<>();
        for (String name : FILES) {
            if (!Files.isRegularFile(root.resolve(name))) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** Fails with the list of missing files unless the directory is complete. */
    public ModelDirectory requireComplete() {
        List<String> missing = missingFiles();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(root + " is not a complete model directory: missing " + missing
                    + " (train one with ./vigil train)");
        }
        return this;
    }

    /** What scoring needs: the graphs, the base hash, the first adapter and its metadata, the feature spec. */
    public static final List<String> SERVING_FILES = List.of(INT8, FP32, BASE_HASH, ADAPTER, ADAPTER_META, FEATURE_SPEC);

    /** Fails with the list of missing files unless the directory has everything scoring needs. */
    public ModelDirectory requireServable() {
        List<String> missing = SERVING_FILES.stream().filter(name -> !Files.isRegularFile(root.resolve(name))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(root + " cannot be served: missing " + missing
                    + " (train a model with ./vigil train)");
        }
        return this;
    }

    /** The first adapter. */
    public Adapter adapter() throws IOException {
        return Adapter.decode(Files.readAllBytes(root.resolve(ADAPTER)));
    }

    /** The first adapter's release version and sequence, from {@value #ADAPTER_META}. */
    public AdapterIdentity adapterIdentity() throws IOException {
        JsonNode meta = JSON.readTree(root.resolve(ADAPTER_META).toFile());
        return new AdapterIdentity(meta.path("version").asText("1"), meta.path("sequence").asLong(1));
    }

    /** A release's version and its sequence on {@code fraud.adapters}. */
    public record AdapterIdentity(String version, long sequence) {}

    /** The feature specification the model was trained with, checked to be one this code computes. */
    public dev.vigil.model.features.FeatureSpec featureSpec() throws IOException {
        return dev.vigil.model.features.FeatureSpec.fromJson(Files.readString(root.resolve(FEATURE_SPEC)))
                .requireSupported();
    }

    /** The base weights, for {@code FraudModel.load}. */
    public NetworkWeights baseWeights() throws IOException {
        return NetworkWeights.decode(networkConfig(), Files.readAllBytes(root.resolve(BASE_WEIGHTS)));
    }

    /** The network's shape. */
    public NetworkConfig networkConfig() throws IOException {
        return readNetworkConfig(JSON.readTree(root.resolve(NETWORK_CONFIG).toFile()));
    }

    /** The base-model hash (the int8 graph's SHA-256) as recorded. */
    public String baseModelHash() throws IOException {
        return Files.readString(root.resolve(BASE_HASH)).trim().split("\\s+")[0];
    }

    /** {@link NetworkConfig} as JSON, snake_case, with the derived counts for a reader's convenience. */
    public static ObjectNode networkConfigJson(NetworkConfig config) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq_len", config.seqLen());
        node.put("seq_features", config.seqFeatures());
        node.put("dense_features", config.denseFeatures());
        node.put("d_model", config.dModel());
        node.put("heads", config.heads());
        node.put("layers", config.layers());
        node.put("ffn_dim", config.ffnDim());
        node.put("dense_hidden", config.denseHidden());
        node.put("head_hidden", config.headHidden());
        node.put("lora_rank", config.loraRank());
        node.put("lora_alpha", config.loraAlpha());
        ArrayNode targets = node.putArray("lora_targets");
        config.loraTargets().forEach(t -> targets.add(t.name()));
        node.put("seed", config.seed());
        ObjectNode derived = node.putObject("derived");
        derived.put("base_parameters", config.parameterCount().base());
        derived.put("lora_parameters", config.parameterCount().lora());
        derived.put("macs_per_transaction", config.macsPerTransaction());
        ArrayNode projections = derived.putArray("adapted_projections");
        config.adaptedProjections().forEach(projections::add);
        return node;
    }

    /** Reads what {@link #networkConfigJson} wrote (the derived block is ignored). */
    public static NetworkConfig readNetworkConfig(JsonNode node) {
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (JsonNode target : node.path("lora_targets")) {
            targets.add(LoraTarget.valueOf(target.asText()));
        }
        return new NetworkConfig(
                required(node, "seq_len").asInt(), required(node, "seq_features").asInt(),
                required(node, "dense_features").asInt(), required(node, "d_model").asInt(),
                required(node, "heads").asInt(), required(node, "layers").asInt(),
                required(node, "ffn_dim").asInt(), required(node, "dense_hidden").asInt(),
                required(node, "head_hidden").asInt(), required(node, "lora_rank").asInt(),
                (float) required(node, "lora_alpha").asDouble(), targets, required(node, "seed").asLong());
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("network config lacks " + field);
        }
        return value;
    }
}
