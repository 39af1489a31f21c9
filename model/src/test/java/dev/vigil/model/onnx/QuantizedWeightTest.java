package dev.vigil.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.SeededInit;
import org.junit.jupiter.api.Test;

class QuantizedWeightTest {

    @Test
    void everyWeightDequantizesToWithinHalfItsChannelScale() {
        FloatTensor weight = SeededInit.initialValues(5, "layer0.ffn.up.weight", 256, 128);
        float[] w = weight.values();
        w[7] = 3.5f; // an outlier widens only its own channel's scale
        weight = FloatTensor.of(weight.shape(), w);
        QuantizedWeight quantized = QuantizedWeight.quantize(weight);
        FloatTensor back = quantized.dequantize();
        assertThat(back.shape()).containsExactly(256, 128);
        for (int j = 0; j < 256; j++) {
            float scale = quantized.scales()[j];
            for (int i = 0; i < 128; i++) {
                assertThat(Math.abs(back.get(j * 128 + i) - weight.get(j * 128 + i)))
                        .isLessThanOrEqualTo(scale / 2 * 1.0001f);
            }
        }
        assertThat(quantized.scales()[0]).isEqualTo(3.5f / 127);
        assertThat(quantized.scales()[1]).isLessThan(quantized.scales()[0] / 10);
    }

    @Test
    void symmetricRangeWithTheChannelMaximumAt127AndZeroChannelsStayZero() {
        float[] w = {-2f, 1f, 0.5f, 0f, 0f, 0f};
        QuantizedWeight quantized = QuantizedWeight.quantize(FloatTensor.of(new int[] {2, 3}, w));
        // stored transposed [in, out]: channel 0 is column 0
        assertThat(quantized.transposed()[0]).isEqualTo((byte) -127);
        assertThat(quantized.transposed()[2]).isEqualTo((byte) 64);
        assertThat(quantized.transposed()[4]).isEqualTo((byte) 32);
        assertThat(quantized.transposed()[1]).isZero();
        assertThat(quantized.scales()).containsExactly(2f / 127, 1f);
        assertThat(quantized.dequantize().values()[3]).isZero();
    }
}
