package dev.vigil.cli.demo;

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
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small model directory with seeded, untrained weights (d = 32, one layer), exported to the real serving graphs,
 * with its base weights and a zero first adapter: what the demo runs on in its integration test, where training a
 * real model would take minutes. The same recipe as the feedback module's TestModel (test sources, not published).
 */
final class SeededDemoModel {

    private SeededDemoModel() {}

    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        FeatureSpec spec = FeatureSpec.standard();
        NetworkConfig config = NetworkConfig.defaults(spec.seqLen(), spec.seqFeatureCount(), spec.denseFeatureCount())
                .withEncoder(32, 2, 1, 64);
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
        Files.writeString(dir.resolve(ModelDirectory.FEATURE_SPEC), spec.toJson());
        ModelDirectory.JSON.writeValue(dir.resolve(ModelDirectory.NETWORK_CONFIG).toFile(),
                ModelDirectory.networkConfigJson(config));
        return dir;
    }
}
