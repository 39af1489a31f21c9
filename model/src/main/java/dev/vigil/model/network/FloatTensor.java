package dev.vigil.model.network;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * An immutable dense float32 tensor in row-major order: the unit in which weights leave the training-time network
 * (for the ONNX export) and adapters travel (to the scorer).
 */
public final class FloatTensor {

    private final int[] shape;
    private final float[] values;

    private FloatTensor(int[] shape, float[] values) {
        this.shape = shape;
        this.values = values;
    }

    /** A tensor holding a copy of {@code values}, whose length must be the product of {@code shape}. */
    public static FloatTensor of(int[] shape, float[] values) {
        long size = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= dim;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + values.length);
        }
        return new FloatTensor(shape.clone(), values.clone());
    }

    /** A tensor of zeros. */
    public static FloatTensor zeros(int... shape) {
        long size = 1;
        for (int dim : shape) {
            size *= dim;
        }
        return new FloatTensor(shape.clone(), new float[Math.toIntExact(size)]);
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Dimension {@code axis} of the shape. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of values. */
    public int size() {
        return values.length;
    }

    /** The values in row-major order (a copy). */
    public float[] values() {
        return values.clone();
    }

    /** The value at flat index {@code i}. */
    public float get(int i) {
        return values[i];
    }

    /** A read-only view of the values, for handing to an engine without another copy on the Java side. */
    public FloatBuffer buffer() {
        return FloatBuffer.wrap(values).asReadOnlyBuffer();
    }

    /** The values as float32 little-endian bytes, row-major (the adapter wire format's tensor data). */
    public byte[] toLittleEndianBytes() {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * values.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /** A tensor from float32 little-endian bytes (the buffer's remaining bytes, which must fill the shape). */
    public static FloatTensor fromLittleEndianBytes(int[] shape, java.nio.ByteBuffer bytes) {
        java.nio.ByteBuffer le = bytes.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (le.remaining() % 4 != 0) {
            throw new IllegalArgumentException("tensor data of " + le.remaining() + " bytes is not float32");
        }
        float[] values = new float[le.remaining() / 4];
        le.asFloatBuffer().get(values);
        return of(shape, values);
    }

    /** The shape as longs, as engines want it. */
    public long[] longShape() {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor other
                && Arrays.equals(shape, other.shape)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
