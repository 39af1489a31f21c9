package dev.vigil.streams.adapters;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.UnsignedRelease;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.onnx.ExportedModel;
import dev.vigil.model.onnx.ServingGraphs;
import dev.vigil.model.scoring.GraphSignature;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.AdapterTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Test fixture: a tiny real network (seeded, untrained) exported to real serving graphs, so tests check adapters
 * against the inputs of an actual graph rather than a hand-written signature.
 */
final class TinyServingGraph {

    /** 1 encoder layer of width 32; LoRA rank 8 on q, v and ffn.up (the defaults). */
    static final NetworkConfig CONFIG = NetworkConfig.defaults(8, 6, 10).withEncoder(32, 2, 1, 64);

    final GraphSignature signature;
    final String baseModelHash;

    private TinyServingGraph(GraphSignature signature, String baseModelHash) {
        this.signature = signature;
        this.baseModelHash = baseModelHash;
    }

    static TinyServingGraph exportTo(Path dir) {
        try (FraudModel model = FraudModel.create(CONFIG)) {
            ExportedModel exported = ServingGraphs.export(model.network().weights().base(), dir);
            return new TinyServingGraph(GraphSignature.read(exported.int8()), exported.baseModelHash());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An adapter that fits the graph, with small random values. */
    static Adapter randomAdapter(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, FloatTensor> tensors = new TreeMap<>();
        Adapter.zero(CONFIG).tensors().forEach((name, zero) -> {
            float[] values = new float[zero.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * 0.02);
            }
            tensors.put(name, FloatTensor.of(zero.shape(), values));
        });
        return Adapter.of(CONFIG.loraRank(), CONFIG.loraAlpha(), tensors);
    }

    /** An unsigned release of {@link #randomAdapter} for this graph's base model. */
    UnsignedRelease release(String version, long sequence) {
        return UnsignedRelease.of(randomAdapter(sequence * 31 + version.hashCode()), version,
                sequence > 1 ? Long.toString(sequence - 1) : null, sequence, baseModelHash);
    }

    /** The release's tensors with {@code value} written at index {@code index} of tensor {@code tensor}. */
    static List<AdapterTensor> withValue(AdapterRelease.Builder release, int tensor, int index, float value) {
        List<AdapterTensor> tensors = new ArrayList<>(release.getTensors());
        AdapterTensor target = tensors.get(tensor);
        ByteBuffer data = ByteBuffer.allocate(target.getData().remaining()).order(ByteOrder.LITTLE_ENDIAN);
        data.put(target.getData().duplicate()).flip();
        data.putFloat(index * Float.BYTES, value);
        tensors.set(tensor, new AdapterTensor(target.getName(), target.getShape(), data));
        return tensors;
    }
}
