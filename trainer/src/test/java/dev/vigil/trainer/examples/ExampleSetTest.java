package dev.vigil.trainer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.network.FeatureBatch;
import org.junit.jupiter.api.Test;

class ExampleSetTest {

    @Test
    void examplesAcrossChunkBoundariesComeBackInTheRequestedOrder() {
        ExampleSet set = new ExampleSet(2, 3, 4);
        int n = ExampleSet.CHUNK + 5;
        for (int i = 0; i < n; i++) {
            set.add(filled(6, i), filled(2, i), filled(4, i), i % 7 == 0, i);
        }
        int[] order = {ExampleSet.CHUNK + 4, 0, ExampleSet.CHUNK - 1};

        FeatureBatch batch = set.batch(order, 0, 3);

        assertThat(set.size()).isEqualTo(n);
        assertThat(batch.size()).isEqualTo(3);
        assertThat(batch.seq()[0]).isEqualTo(ExampleSet.CHUNK + 4);
        assertThat(batch.seq()[6]).isZero();
        assertThat(batch.dense()[8]).isEqualTo(ExampleSet.CHUNK - 1);
        assertThat(set.labels(order, 0, 3)).containsExactly(0f, 1f, 1f); // 4100 % 7 != 0, 0 and 4095 are multiples of 7
        assertThat(set.weights(order, 1, 3)).containsExactly(0f, ExampleSet.CHUNK - 1);
    }

    @Test
    void anExampleOfTheWrongShapeIsRefused() {
        ExampleSet set = new ExampleSet(2, 3, 4);
        assertThatThrownBy(() -> set.add(new float[5], new float[2], new float[4], false, 1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq 5");
    }

    private static float[] filled(int length, float value) {
        float[] a = new float[length];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
