package dev.vigil.trainer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.trainer.ModelBenchCommand;
import org.junit.jupiter.api.Test;

class ModelBenchLineTest {

    @Test
    void theLastLineHasTheAgreedFormat() {
        String line = ModelBenchCommand.lastLine(41.25, 68.5, 235_528, 622_664);

        assertThat(line).isEqualTo("model: int8 41.3 us/tx fp32 68.5 us/tx at batch 64 (speed-up 1.66); "
                + "size int8 0.236 MB fp32 0.623 MB");
        assertThat(line).matches("model: int8 [0-9.]+ us/tx fp32 [0-9.]+ us/tx at batch 64 \\(speed-up [0-9.]+\\); "
                + "size int8 [0-9.]+ MB fp32 [0-9.]+ MB");
    }

    @Test
    void theMedianOfAnEvenNumberOfRepetitionsIsTheMeanOfTheMiddleTwo() {
        assertThat(ServingLatency.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(ServingLatency.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
