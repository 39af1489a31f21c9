package dev.vigil.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.onnx.ExportedModel;
import dev.vigil.model.onnx.ServingGraphs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A servable model directory whose network has seeded, untrained weights (DJL initialisation, exported to the real
 * fp32 and int8 serving graphs): for tests of the pipeline's behaviour (exactly once, dead letters, degraded
 * context, adapter swaps), never of its accuracy. Built once per test JVM, in a temporary directory.
 */
public final class SeededTestModel {

    private static Path built;

    private SeededTestModel() {}

    public static synchronized Path directory() {
        if (built == null) {
            try {
                Path dir = Files.createTempDirectory("vigil-seeded-model");
                write(dir);
                built = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return built;
    }

    static void write(Path dir) throws IOException {
        FeatureSpec spec = FeatureSpec.standard();
        NetworkConfig config = NetworkConfig.defaults(spec.seqLen(), spec.seqFeatureCount(), spec.denseFeatureCount())
                .withEncoder(32, 2, 1, 64);
        NetworkWeights weights;
        try (FraudModel model = FraudModel.create(config)) {
            weights = model.network().weights();
        }
        ExportedModel exported = ServingGraphs.export(weights, dir);
        Files.write(dir.resolve(ModelDirectory.BASE_WEIGHTS), weights.base().encode());
        Adapter adapter = Adapter.zero(config);
        Files.write(dir.resolve(ModelDirectory.ADAPTER), adapter.encode());
        ObjectNode meta = ModelDirectory.JSON.createObjectNode();
        meta.put("version", "1");
        meta.put("sequence", 1);
        meta.put("base_model_hash", exported.baseModelHash());
        ModelDirectory.JSON.writeValue(dir.resolve(ModelDirectory.ADAPTER_META).toFile(), meta);
        Files.writeString(dir.resolve(ModelDirectory.FEATURE_SPEC), spec.toJson());
        ModelDirectory.JSON.writeValue(dir.resolve(ModelDirectory.NETWORK_CONFIG).toFile(),
                ModelDirectory.networkConfigJson(config));
    }

    /** The adapter's tensors, every value set to {@code value}: an adapter that changes the scores. */
    public static dev.vigil.model.adapter.Adapter constantAdapter(dev.vigil.model.adapter.Adapter like, float value) {
        java.util.Map<String, dev.vigil.model.network.FloatTensor> tensors = new java.util.TreeMap<>();
        like.tensors().forEach((name, tensor) -> {
            float[] values = new float[tensor.size()];
            java.util.Arrays.fill(values, value);
            tensors.put(name, dev.vigil.model.network.FloatTensor.of(tensor.shape(), values));
        });
        return dev.vigil.model.adapter.Adapter.of(like.rank(), like.alpha(), tensors);
    }
}
