package dev.vigil.model.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The network's inputs for one payment, as {@code network.FeatureBatch} takes them per row.
 *
 * @param seq [L * Fs], row-major by position: oldest shown past payment first, the current payment at position L - 1
 * @param seqMask [L]: 1 for a real payment (the current one always), 0 for padding (zeros in seq)
 * @param dense [Fd]
 */
public record ModelInputs(float[] seq, float[] seqMask, float[] dense) {

    /** Copies this row into batch arrays at row {@code row}. */
    public void copyInto(int row, float[] batchSeq, float[] batchMask, float[] batchDense) {
        System.arraycopy(seq, 0, batchSeq, row * seq.length, seq.length);
        System.arraycopy(seqMask, 0, batchMask, row * seqMask.length, seqMask.length);
        System.arraycopy(dense, 0, batchDense, row * dense.length, dense.length);
    }

    /** seq, seqMask and dense as float32 little-endian, in that order: the {@code model_inputs} of a fraud score. */
    public byte[] toLittleEndianBytes() {
        return rowToLittleEndianBytes(seq, seqMask, dense, 0, seq.length, seqMask.length, dense.length);
    }

    /**
     * Row {@code row} of batch arrays (rows of {@code seqRow}, {@code maskRow} and {@code denseRow} floats) as
     * {@link #toLittleEndianBytes()} writes it, without copying the row out first.
     */
    public static byte[] rowToLittleEndianBytes(float[] batchSeq, float[] batchMask, float[] batchDense, int row,
                                                int seqRow, int maskRow, int denseRow) {
        byte[] bytes = new byte[Float.BYTES * (seqRow + maskRow + denseRow)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .put(batchSeq, row * seqRow, seqRow)
                .put(batchMask, row * maskRow, maskRow)
                .put(batchDense, row * denseRow, denseRow);
        return bytes;
    }

    /** Bit-for-bit equality of every float (what "the same features" means in the tests). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelInputs m && Arrays.equals(seq, m.seq) && Arrays.equals(seqMask, m.seqMask)
                && Arrays.equals(dense, m.dense);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(seq) + Arrays.hashCode(seqMask)) + Arrays.hashCode(dense);
    }

    @Override
    public String toString() {
        return "ModelInputs[seq " + Arrays.toString(seq) + ", mask " + Arrays.toString(seqMask) + ", dense "
                + Arrays.toString(dense) + "]";
    }
}
