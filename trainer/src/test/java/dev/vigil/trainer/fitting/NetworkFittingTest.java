package dev.vigil.trainer.fitting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkFittingTest {

    @Test
    void theLastDecayEpochsEachHalveTheLearningRate() {
        NetworkFitting.Options options = new NetworkFitting.Options(6, 256, 0.002f, 2, 1, true);

        float[] rates = new float[6];
        for (int epoch = 1; epoch <= 6; epoch++) {
            rates[epoch - 1] = options.learningRate(epoch);
        }

        assertThat(rates).containsExactly(0.002f, 0.002f, 0.002f, 0.002f, 0.001f, 0.0005f);
        assertThat(new NetworkFitting.Options(1, 256, 0.002f, 2, 1, true).learningRate(1)).isEqualTo(0.002f);
        assertThat(new NetworkFitting.Options(2, 256, 0.002f, 2, 1, true).learningRate(2)).isEqualTo(0.001f);
        assertThat(new NetworkFitting.Options(3, 256, 0.002f, 0, 1, true).learningRate(3)).isEqualTo(0.002f);
    }

    @Test
    void theShuffleIsAPermutationFixedByTheSeed() {
        int[] a = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] b = a.clone();

        NetworkFitting.shuffle(a, new SplittableRandom(3));
        NetworkFitting.shuffle(b, new SplittableRandom(3));

        assertThat(a).isEqualTo(b).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9).isNotEqualTo(
                new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    }
}
