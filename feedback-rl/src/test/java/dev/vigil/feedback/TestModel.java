package dev.vigil.feedback;

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
 * A model directory whose network has seeded, untrained weights, exported to the real fp32 and int8 serving graphs,
 * with its base weights and a zero first adapter (version 1, sequence 1): for tests of the loop's behaviour, never
 * of accuracy. The same approach as streams-app's SeededTestModel, plus base-weights.bin, which the update needs.
 */
public final class TestModel {

    private static ModelDirectory built;

    private TestModel() {}

    public static synchronized ModelDirectory directory() {
        if (built == null) {
            try {
                Path dir = Files.createTempDirectory("vigil-feedback-model");
                write(dir);
                built = new ModelDirectory(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return built;
    }

    public static NetworkConfig config() {
        FeatureSpec spec = FeatureSpec.standard();
        return NetworkConfig.defaults(spec.seqLen(), spec.seqFeatureCount(), spec.denseFeatureCount())
                .withEncoder(32, 2, 1, 64);
    }

    static void write(Path dir) throws IOException {
        NetworkConfig config = config();
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
        Files.writeString(dir.resolve(ModelDirectory.FEATURE_SPEC), FeatureSpec.standard().toJson());
        ModelDirectory.JSON.writeValue(dir.resolve(ModelDirectory.NETWORK_CONFIG).toFile(),
                ModelDirectory.networkConfigJson(config));
    }
}
