package dev.vigil.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small writer of ONNX graphs on the protobuf classes ({@code ai.onnx.proto.OnnxMl}): inputs, outputs,
 * initializers and nodes, with unique value names. Tribuo's own builder stops at opset 13 and lacks the integer
 * operators, so the serving graphs are written with this instead.
 */
final class GraphWriter {

    /** Opset of the default ONNX domain: 20 has Gelu and LayerNormalization; ORT 1.29 (via DJL) runs <= 22. */
    static final int OPSET = 20;
    /** IR version matching opset 20. */
    static final long IR_VERSION = 9;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private final List<String> outputs = new ArrayList<>();

    GraphWriter(String name) {
        graph.setName(name);
    }

    /** A graph input; a dimension is an Integer (fixed) or a String (symbolic, e.g. "batch"). */
    String input(String name, TensorProto.DataType type, Object... dims) {
        claim(name);
        graph.addInput(valueInfo(name, type, dims));
        return name;
    }

    /** Marks {@code value} as a graph output. */
    void output(String name, TensorProto.DataType type, Object... dims) {
        outputs.add(name);
        graph.addOutput(valueInfo(name, type, dims));
    }

    /** A float32 initializer. */
    String floats(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return initializer(name, TensorProto.DataType.FLOAT, bytes.array(), dims);
    }

    /** An int8 initializer. */
    String int8s(String name, byte[] values, long... dims) {
        return initializer(name, TensorProto.DataType.INT8, values, dims);
    }

    /** An int64 initializer (shapes, axes). */
    String int64s(String name, long[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return initializer(name, TensorProto.DataType.INT64, bytes.array(), dims);
    }

    /** A float scalar constant, shared by every use of the same name. */
    String scalar(String name, float value) {
        if (names.contains(name)) {
            return name;
        }
        return floats(name, new float[] {value});
    }

    /** A 1-D int64 constant, shared by every use of the same name. */
    String longs(String name, long... values) {
        if (names.contains(name)) {
            return name;
        }
        return int64s(name, values, values.length);
    }

    private String initializer(String name, TensorProto.DataType type, byte[] raw, long... dims) {
        claim(name);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /** A node with one output, named {@code <prefix>/<op><n>} unless {@code output} is given. */
    String node(String op, String prefix, List<String> inputs, AttributeProto... attributes) {
        return nodeMulti(op, prefix, inputs, 1, attributes).get(0);
    }

    /** A node with one output whose name is fixed (for graph outputs). */
    String nodeNamed(String op, String output, List<String> inputs, AttributeProto... attributes) {
        claim(output);
        add(op, "", output, inputs, List.of(output), attributes);
        return output;
    }

    /** A node with several outputs. */
    List<String> nodeMulti(String op, String prefix, List<String> inputs, int outputCount,
            AttributeProto... attributes) {
        String base = unique(prefix + "/" + op);
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            String out = outputCount == 1 ? base : base + ":" + i;
            claim(out);
            outs.add(out);
        }
        add(op, "", base, inputs, outs, attributes);
        return outs;
    }

    /** A node in another domain (e.g. {@code com.microsoft}). */
    String nodeInDomain(String domain, String op, String prefix, List<String> inputs, AttributeProto... attributes) {
        String out = unique(prefix + "/" + op);
        claim(out);
        add(op, domain, out, inputs, List.of(out), attributes);
        return out;
    }

    private void add(String op, String domain, String nodeName, List<String> inputs, List<String> outs,
            AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(nodeName).addAllInput(inputs)
                .addAllOutput(outs);
        if (!domain.isEmpty()) {
            node.setDomain(domain);
        }
        for (AttributeProto attribute : attributes) {
            node.addAttribute(attribute);
        }
        graph.addNode(node);
    }

    ModelProto model(String docString, Map<String, String> metadata, boolean usesMicrosoftDomain) {
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("vigil-model")
                .setProducerVersion("1")
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        if (usesMicrosoftDomain) {
            model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
        }
        metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto attrs(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof String symbol) {
                d.setDimParam(symbol);
            } else {
                d.setDimValue(((Number) dim).longValue());
            }
            shape.addDim(d);
        }
        TypeProto type_ = TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type_).build();
    }

    private String unique(String base) {
        int n = counters.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + n;
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("duplicate value name in graph: " + name);
        }
    }
}
