package dev.vigil.trainer.card;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServingLatencyTest {

    @Test
    void theMedianOfAnEvenNumberOfRepetitionsIsTheMeanOfTheMiddleTwo() {
        assertThat(ServingLatency.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(ServingLatency.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
