package dev.vigil.model.scoring;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.vigil.model.onnx.ServingGraphs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a serving graph expects, read from the ONNX file: input names and shapes (a symbolic dimension is -1) and
 * its metadata. The scorer checks batches and adapters against it before they reach the runtime.
 *
 * @param inputs input name -> dims, in graph order
 * @param metadata the graph's metadata properties
 */
public record GraphSignature(Map<String, long[]> inputs, Map<String, String> metadata) {

    public static GraphSignature read(Path graph) throws IOException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(graph)) {
            model = ModelProto.parseFrom(in);
        }
        Map<String, long[]> inputs = new LinkedHashMap<>();
        for (ValueInfoProto input : model.getGraph().getInputList()) {
            List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
            }
            inputs.put(input.getName(), shape);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto entry : model.getMetadataPropsList()) {
            metadata.put(entry.getKey(), entry.getValue());
        }
        return new GraphSignature(Collections.unmodifiableMap(inputs), Collections.unmodifiableMap(metadata));
    }

    /** Dims of input {@code name}; an error naming it if the graph has no such input. */
    public long[] dims(String name) {
        long[] dims = inputs.get(name);
        if (dims == null) {
            throw new IllegalArgumentException("graph has no input " + name + "; inputs: " + inputs.keySet());
        }
        return dims.clone();
    }

    /**
     * Whether a tensor of {@code shape} fits the adapter input {@code name} for an adapter of {@code rank}: as many
     * dimensions as the input, each fixed one equal, the symbolic one (-1, where the graph leaves the rank open)
     * equal to {@code rank}. The one definition of "this adapter tensor fits the graph", for the scorer and the
     * release verifier alike.
     */
    public boolean fitsAdapterInput(String name, int[] shape, int rank) {
        long[] dims = dims(name);
        if (shape.length != dims.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != (dims[i] >= 0 ? dims[i] : rank)) {
                return false;
            }
        }
        return true;
    }

    public int seqLen() {
        return (int) dims(ServingGraphs.SEQ)[1];
    }

    public int seqFeatures() {
        return (int) dims(ServingGraphs.SEQ)[2];
    }

    public int denseFeatures() {
        return (int) dims(ServingGraphs.DENSE)[1];
    }

    /** The adapter inputs ({@code *.lora_a}, {@code *.lora_b}), in graph order. */
    public List<String> loraInputs() {
        List<String> names = new ArrayList<>();
        for (String name : inputs.keySet()) {
            if (name.endsWith(".lora_a") || name.endsWith(".lora_b")) {
                names.add(name);
            }
        }
        return names;
    }
}
