package dev.vigil.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.onnx.ExportedModel;
import dev.vigil.model.onnx.ServingGraphs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A servable model directory whose network has seeded, untrained weights (DJL initialisation, d = 32, one encoder
 * layer), exported to the real fp32 and int8 serving graphs, with its base weights and a zero first adapter
 * (version 1, sequence 1): for tests of behaviour (exactly once, dead letters, adapter swaps, the loop's update, the
 * demo's plumbing), never of accuracy, where training a real model would take minutes.
 */
public final class SeededModel {

    private static Path built;
    private static ModelDirectory builtDirectory;

    private SeededModel() {}

    /** The network's shape: the standard features, width 32, 2 heads, 1 layer, ffn 64. */
    public static NetworkConfig config() {
        FeatureSpec spec = FeatureSpec.standard();
        return NetworkConfig.defaults(spec.seqLen(), spec.seqFeatureCount(), spec.denseFeatureCount())
                .withEncoder(32, 2, 1, 64);
    }

    /** One model per test JVM, written once into a temporary directory. */
    public static synchronized Path directory() {
        if (built == null) {
            try {
                built = write(Files.createTempDirectory("vigil-seeded-model"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return built;
    }

    /** {@link #directory()}, opened. */
    public static synchronized ModelDirectory modelDirectory() {
        if (builtDirectory == null) {
            builtDirectory = new ModelDirectory(directory());
        }
        return builtDirectory;
    }

    /** Writes a fresh seeded model into {@code dir} (created if needed) and returns it. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        NetworkConfig config = config();
        NetworkWeights weights;
        try (FraudModel model = FraudModel.create(config)) {
            weights = model.network().weights();
        }
        ExportedModel exported = ServingGraphs.export(weights, dir);
        Files.write(dir.resolve(ModelDirectory.BASE_WEIGHTS), weights.base().encode());
        Files.write(dir.resolve(ModelDirectory.ADAPTER), Adapter.zero(config).encode());
        ObjectNode meta = ModelDirectory.JSON.createObjectNode();
        meta.put("version", "1");
        meta.put("sequence", 1);
        meta.put("base_model_hash", exported.baseModelHash());
        ModelDirectory.JSON.writeValue(dir.resolve(ModelDirectory.ADAPTER_META).toFile(), meta);
        Files.writeString(dir.resolve(ModelDirectory.FEATURE_SPEC), FeatureSpec.standard().toJson());
        ModelDirectory.JSON.writeValue(dir.resolve(ModelDirectory.NETWORK_CONFIG).toFile(),
                ModelDirectory.networkConfigJson(config));
        return dir;
    }

    /**
     * The adapter's tensors, every value set to {@code value}. It barely moves the scores: a constant low-rank update
     * adds the same to every unit, and the layer norms take most of it out (about 2e-4 at 9.0).
     */
    public static Adapter constantAdapter(Adapter like, float value) {
        Map<String, FloatTensor> tensors = new TreeMap<>();
        like.tensors().forEach((name, tensor) -> {
            float[] values = new float[tensor.size()];
            Arrays.fill(values, value);
            tensors.put(name, FloatTensor.of(tensor.shape(), values));
        });
        return Adapter.of(like.rank(), like.alpha(), tensors);
    }
}
