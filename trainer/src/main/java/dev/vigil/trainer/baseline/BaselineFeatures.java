package dev.vigil.trainer.baseline;

import dev.vigil.trainer.examples.ExampleSet;

/**
 * The baseline's view of the network's inputs: one flat row per transaction, from exactly the same encoded
 * features. The dense vector as it is, then a summary of the sequence that a tree can split on: per sequence
 * feature its mean and its maximum over the real (unmasked) positions, and its value at the card's previous
 * payment; then the number of real positions. The sequence is oldest first with the current payment last
 * ({@code ModelInputs}), so the previous payment is the last real position before the final one. A card with no
 * past payment gets NaN for its "previous" block (missing, which XGBoost routes by itself).
 *
 * <p>Width: {@code dense + 3 * seqFeatures + 1}.
 */
public record BaselineFeatures(int seqLen, int seqFeatures, int denseFeatures) {

    public int width() {
        return denseFeatures + 3 * seqFeatures + 1;
    }

    /** Column names, for the model card and feature importances. */
    public String[] names(String[] denseNames, String[] seqNames) {
        String[] names = new String[width()];
        int c = 0;
        for (int i = 0; i < denseFeatures; i++) {
            names[c++] = denseNames != null && i < denseNames.length ? denseNames[i] : "dense" + i;
        }
        for (String kind : new String[] {"seq_mean.", "seq_max.", "seq_previous."}) {
            for (int f = 0; f < seqFeatures; f++) {
                names[c++] = kind + (seqNames != null && f < seqNames.length ? seqNames[f] : "f" + f);
            }
        }
        names[c] = "seq_count";
        return names;
    }

    /** Writes the row of one transaction into {@code out} at {@code offset}. */
    public void row(float[] seq, float[] mask, float[] dense, float[] out, int offset) {
        System.arraycopy(dense, 0, out, offset, denseFeatures);
        int mean = offset + denseFeatures;
        int max = mean + seqFeatures;
        int previous = max + seqFeatures;
        int count = 0;
        int last = -1;
        int beforeLast = -1;
        for (int p = 0; p < seqLen; p++) {
            if (mask[p] > 0.5f) {
                count++;
                beforeLast = last;
                last = p;
            }
        }
        for (int f = 0; f < seqFeatures; f++) {
            if (count == 0) {
                out[mean + f] = Float.NaN;
                out[max + f] = Float.NaN;
                out[previous + f] = Float.NaN;
                continue;
            }
            double sum = 0;
            float m = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < seqLen; p++) {
                if (mask[p] > 0.5f) {
                    float v = seq[p * seqFeatures + f];
                    sum += v;
                    m = Math.max(m, v);
                }
            }
            out[mean + f] = (float) (sum / count);
            out[max + f] = m;
            out[previous + f] = beforeLast < 0 ? Float.NaN : seq[beforeLast * seqFeatures + f];
        }
        out[previous + seqFeatures] = count;
    }

    /** The rows of {@code indices} of an example set, row-major [indices.length, width]. */
    public float[] matrix(ExampleSet examples, int[] indices) {
        int w = width();
        float[] matrix = new float[Math.multiplyExact(indices.length, w)];
        float[] seq = new float[seqLen * seqFeatures];
        float[] mask = new float[seqLen];
        float[] dense = new float[denseFeatures];
        for (int i = 0; i < indices.length; i++) {
            examples.copySeq(indices[i], seq, 0);
            examples.copyMask(indices[i], mask, 0);
            examples.copyDense(indices[i], dense, 0);
            row(seq, mask, dense, matrix, i * w);
        }
        return matrix;
    }
}
