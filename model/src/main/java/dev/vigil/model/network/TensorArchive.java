package dev.vigil.model.network;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A flat binary encoding of named float tensors, little-endian throughout, tensors in name order (so equal content
 * gives equal bytes and an equal digest):
 *
 * <pre>
 *   int32 count
 *   count x { uint16 nameLength, UTF-8 name, uint8 rank, rank x int32 dim, prod(dims) x float32 value }
 * </pre>
 */
public final class TensorArchive {

    private TensorArchive() {}

    /** Encodes {@code tensors} (any map; written in name order). */
    public static byte[] encode(Map<String, FloatTensor> tensors) {
        SortedMap<String, FloatTensor> sorted = new TreeMap<>(tensors);
        int size = 4;
        for (Map.Entry<String, FloatTensor> entry : sorted.entrySet()) {
            size += 2 + entry.getKey().getBytes(StandardCharsets.UTF_8).length + 1
                    + 4 * entry.getValue().rank() + 4 * entry.getValue().size();
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(sorted.size());
        for (Map.Entry<String, FloatTensor> entry : sorted.entrySet()) {
            byte[] name = entry.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length > 0xffff) {
                throw new IllegalArgumentException("tensor name too long: " + entry.getKey());
            }
            FloatTensor tensor = entry.getValue();
            out.putShort((short) name.length).put(name).put((byte) tensor.rank());
            for (int dim : tensor.shape()) {
                out.putInt(dim);
            }
            out.asFloatBuffer().put(tensor.buffer());
            out.position(out.position() + 4 * tensor.size());
        }
        return out.array();
    }

    /** Decodes what {@link #encode} wrote; the map is sorted by name and unmodifiable. */
    public static SortedMap<String, FloatTensor> decode(ByteBuffer in) {
        ByteBuffer buffer = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        try {
            int count = buffer.getInt();
            if (count < 0) {
                throw new IllegalArgumentException("negative tensor count " + count);
            }
            SortedMap<String, FloatTensor> tensors = new TreeMap<>();
            for (int t = 0; t < count; t++) {
                byte[] name = new byte[Short.toUnsignedInt(buffer.getShort())];
                buffer.get(name);
                int[] shape = new int[Byte.toUnsignedInt(buffer.get())];
                long size = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = buffer.getInt();
                    if (shape[i] < 0) {
                        throw new IllegalArgumentException("negative dimension");
                    }
                    size *= shape[i];
                }
                if (size * 4 > buffer.remaining()) {
                    throw new IllegalArgumentException("truncated tensor data");
                }
                float[] values = new float[(int) size];
                buffer.asFloatBuffer().get(values);
                buffer.position(buffer.position() + 4 * values.length);
                tensors.put(new String(name, StandardCharsets.UTF_8), FloatTensor.of(shape, values));
            }
            in.position(in.position() + buffer.position());
            return Collections.unmodifiableSortedMap(tensors);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated tensor archive", e);
        }
    }
}
