package dev.vigil.model.onnx;

import dev.vigil.model.network.FloatTensor;

/**
 * A projection weight quantized per output channel, symmetric int8: for output channel j,
 * scale_j = max_i |W[j,i]| / 127 and q[j,i] = round(W[j,i] / scale_j), in [-127, 127], zero point 0. Dequantized,
 * every weight is within scale_j / 2 of the original.
 *
 * <p>The values are stored transposed, [in, out], the layout ONNX's MatMulInteger wants for its B operand.
 *
 * @param transposed int8 values, [in, out] row-major
 * @param scales per-output-channel scales, [out]
 * @param in input features
 * @param out output features (channels)
 */
public record QuantizedWeight(byte[] transposed, float[] scales, int in, int out) {

    /** Quantizes a weight of shape [out, in] (DJL's Linear layout). */
    public static QuantizedWeight quantize(FloatTensor weight) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("a projection weight is 2-D, got " + weight);
        }
        int out = weight.dim(0);
        int in = weight.dim(1);
        float[] w = weight.values();
        float[] scales = new float[out];
        byte[] q = new byte[in * out];
        for (int j = 0; j < out; j++) {
            float max = 0;
            for (int i = 0; i < in; i++) {
                max = Math.max(max, Math.abs(w[j * in + i]));
            }
            // an all-zero channel keeps scale 1 (all its values quantize to 0) instead of dividing by zero
            float scale = max > 0 ? max / 127f : 1f;
            scales[j] = scale;
            for (int i = 0; i < in; i++) {
                int value = Math.round(w[j * in + i] / scale);
                q[i * out + j] = (byte) Math.max(-127, Math.min(127, value));
            }
        }
        return new QuantizedWeight(q, scales, in, out);
    }

    /** Back to float, shape [out, in]. */
    public FloatTensor dequantize() {
        float[] w = new float[in * out];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                w[j * in + i] = transposed[i * out + j] * scales[j];
            }
        }
        return FloatTensor.of(new int[] {out, in}, w);
    }
}
