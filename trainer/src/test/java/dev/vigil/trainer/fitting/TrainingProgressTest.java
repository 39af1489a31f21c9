package dev.vigil.trainer.fitting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    @Test
    void aLineShowsEpochStepLossThroughputAndTimeLeft() {
        long[] now = {0};
        StringWriter text = new StringWriter();
        TrainingProgress progress = new TrainingProgress(new PrintWriter(text), () -> now[0], 1_000_000_000L);
        progress.start("base", 2, 10, 1000);   // 2 epochs of 1,000 examples in 10 steps
        now[0] = 2_000_000_000L;
        progress.step(1, 5, 500, 0.0312);       // 500 examples in 2 s: 250 ex/s, 1,500 left: 6 s

        assertThat(text.toString().trim())
                .isEqualTo("base     epoch 1/2  step    5/10  loss 0.03120  250 ex/s  ETA 6s");
    }

    @Test
    void longWaitsAreShownInMinutes() {
        assertThat(TrainingProgress.duration(125.4)).isEqualTo("2m05s");
        assertThat(TrainingProgress.duration(Double.NaN)).isEqualTo("?");
    }
}
