package dev.vigil.model.network;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every weight of a {@link FraudNetwork} under its canonical name: what the ONNX export reads, and what a trained
 * base is saved as (with {@link #encode}, beside its config).
 *
 * @param config the network's shape
 * @param tensors canonical name -> tensor, sorted by name
 */
public record NetworkWeights(NetworkConfig config, SortedMap<String, FloatTensor> tensors) {

    public NetworkWeights {
        tensors = Collections.unmodifiableSortedMap(new TreeMap<>(tensors));
    }

    /** Weights from any map of tensors. */
    public static NetworkWeights of(NetworkConfig config, Map<String, FloatTensor> tensors) {
        return new NetworkWeights(config, new TreeMap<>(tensors));
    }

    /** The tensor {@code name}; an error naming it if absent. */
    public FloatTensor tensor(String name) {
        FloatTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("weights lack tensor " + name);
        }
        return tensor;
    }

    /** The base weights only (LoRA tensors removed). */
    public NetworkWeights base() {
        SortedMap<String, FloatTensor> base = new TreeMap<>(tensors);
        base.keySet().removeIf(FraudNetwork::isLoraTensor);
        return new NetworkWeights(config, base);
    }

    /** The tensors as a {@link TensorArchive} (the config is not included). */
    public byte[] encode() {
        return TensorArchive.encode(tensors);
    }

    /** Reads what {@link #encode} wrote, for a network of shape {@code config}. */
    public static NetworkWeights decode(NetworkConfig config, byte[] bytes) {
        return new NetworkWeights(config, TensorArchive.decode(ByteBuffer.wrap(bytes)));
    }
}
