package dev.vigil.trainer.examples;

import dev.vigil.model.network.FeatureBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The network inputs of many transactions, held as plain float arrays in fixed-size chunks: a million
 * transactions of 16 x 12 sequence values, 16 mask values and 40 dense values take ~1 GB at most, and adding never
 * copies what is already held (a growing single array would need twice the memory while it grows).
 *
 * <p>Per example it also keeps the label (1 fraud, 0 genuine) and a loss weight. Not thread-safe.
 */
public final class ExampleSet {

    /** Examples per chunk. */
    static final int CHUNK = 4096;

    private final int seqLen;
    private final int seqFeatures;
    private final int denseFeatures;
    private final int seqWidth;
    private final List<float[]> seq = new ArrayList<>();
    private final List<float[]> mask = new ArrayList<>();
    private final List<float[]> dense = new ArrayList<>();
    private final List<float[]> labels = new ArrayList<>();
    private final List<float[]> weights = new ArrayList<>();
    private int size;

    public ExampleSet(int seqLen, int seqFeatures, int denseFeatures) {
        if (seqLen <= 0 || seqFeatures <= 0 || denseFeatures <= 0) {
            throw new IllegalArgumentException("input sizes must be positive: seqLen=" + seqLen + ", seqFeatures="
                    + seqFeatures + ", denseFeatures=" + denseFeatures);
        }
        this.seqLen = seqLen;
        this.seqFeatures = seqFeatures;
        this.denseFeatures = denseFeatures;
        this.seqWidth = seqLen * seqFeatures;
    }

    public int seqLen() {
        return seqLen;
    }

    public int seqFeatures() {
        return seqFeatures;
    }

    public int denseFeatures() {
        return denseFeatures;
    }

    public int size() {
        return size;
    }

    /**
     * Appends one example; the arrays are copied. Returns its index.
     *
     * @param seqValues [seqLen * seqFeatures], row-major
     * @param maskValues [seqLen]
     * @param denseValues [denseFeatures]
     */
    public int add(float[] seqValues, float[] maskValues, float[] denseValues, boolean fraud, float weight) {
        if (seqValues.length != seqWidth || maskValues.length != seqLen || denseValues.length != denseFeatures) {
            throw new IllegalArgumentException("example has seq " + seqValues.length + ", mask " + maskValues.length
                    + ", dense " + denseValues.length + " values; this set holds " + seqWidth + ", " + seqLen
                    + ", " + denseFeatures);
        }
        int chunk = size / CHUNK;
        int row = size % CHUNK;
        if (chunk == seq.size()) {
            seq.add(new float[CHUNK * seqWidth]);
            mask.add(new float[CHUNK * seqLen]);
            dense.add(new float[CHUNK * denseFeatures]);
            labels.add(new float[CHUNK]);
            weights.add(new float[CHUNK]);
        }
        System.arraycopy(seqValues, 0, seq.get(chunk), row * seqWidth, seqWidth);
        System.arraycopy(maskValues, 0, mask.get(chunk), row * seqLen, seqLen);
        System.arraycopy(denseValues, 0, dense.get(chunk), row * denseFeatures, denseFeatures);
        labels.get(chunk)[row] = fraud ? 1f : 0f;
        weights.get(chunk)[row] = weight;
        return size++;
    }

    public boolean fraud(int index) {
        return labels.get(chunk(index))[index % CHUNK] > 0.5f;
    }

    public float weight(int index) {
        return weights.get(chunk(index))[index % CHUNK];
    }

    /** Copies example {@code index}'s sequence into {@code out} at {@code offset}. */
    public void copySeq(int index, float[] out, int offset) {
        System.arraycopy(seq.get(chunk(index)), (index % CHUNK) * seqWidth, out, offset, seqWidth);
    }

    public void copyMask(int index, float[] out, int offset) {
        System.arraycopy(mask.get(chunk(index)), (index % CHUNK) * seqLen, out, offset, seqLen);
    }

    public void copyDense(int index, float[] out, int offset) {
        System.arraycopy(dense.get(chunk(index)), (index % CHUNK) * denseFeatures, out, offset, denseFeatures);
    }

    /** The network inputs of {@code indices[from..to)}, in that order. */
    public FeatureBatch batch(int[] indices, int from, int to) {
        int b = to - from;
        float[] s = new float[b * seqWidth];
        float[] m = new float[b * seqLen];
        float[] d = new float[b * denseFeatures];
        for (int i = 0; i < b; i++) {
            int index = indices[from + i];
            copySeq(index, s, i * seqWidth);
            copyMask(index, m, i * seqLen);
            copyDense(index, d, i * denseFeatures);
        }
        return new FeatureBatch(b, s, m, d);
    }

    /** Labels (1/0) of {@code indices[from..to)}. */
    public float[] labels(int[] indices, int from, int to) {
        float[] out = new float[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = fraud(indices[from + i]) ? 1f : 0f;
        }
        return out;
    }

    /** Loss weights of {@code indices[from..to)}. */
    public float[] weights(int[] indices, int from, int to) {
        float[] out = new float[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = weight(indices[from + i]);
        }
        return out;
    }

    /** 0, 1, ..., size - 1. */
    public int[] allIndices() {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        return all;
    }

    /** Bytes held by the float arrays (allocated chunks, including the unused tail of the last one). */
    public long bytesHeld() {
        long perExample = 4L * (seqWidth + seqLen + denseFeatures + 2);
        return (long) seq.size() * CHUNK * perExample;
    }

    private int chunk(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("example " + index + " of " + size);
        }
        return index / CHUNK;
    }
}
