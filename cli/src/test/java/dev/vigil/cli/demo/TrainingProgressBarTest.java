package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TrainingProgressBarTest {

    private static String feed(boolean redraw, String... lines) {
        StringWriter out = new StringWriter();
        TrainingProgressBar bar = new TrainingProgressBar(new PrintWriter(out), redraw);
        PrintWriter trainer = new PrintWriter(bar, true);
        for (String line : lines) {
            trainer.println(line);
        }
        bar.finish();
        return out.toString();
    }

    @Test
    void plainOutputGetsOneBarLinePerTenthOfAPhase() {
        String out = feed(false,
                "base     epoch 1/2  step   10/100  loss 0.12345  2,954 ex/s  ETA 1m12s",
                "base     epoch 1/2  step   12/100  loss 0.12000  2,954 ex/s  ETA 1m10s",
                "base     epoch 2/2  step  100/100  loss 0.03000  3,000 ex/s  ETA 0s",
                "walk: something else the trainer says");
        assertThat(out.lines()).hasSize(2);
        assertThat(out).contains("base     [##............................]   5%  epoch 1/2  loss 0.12345")
                .contains("[##############################] 100%  epoch 2/2").doesNotContain("\r");
    }

    @Test
    void aTerminalGetsTheBarRedrawnInPlaceAndANewLinePerPhase() {
        String out = feed(true,
                "base     epoch 1/1  step   50/100  loss 0.1  100 ex/s  ETA 5s",
                "base     epoch 1/1  step  100/100  loss 0.1  100 ex/s  ETA 0s",
                "adapter  epoch 1/1  step   10/10  loss 0.1  100 ex/s  ETA 0s");
        assertThat(out).startsWith("\r      base     [###############...............]  50%");
        assertThat(out.chars().filter(c -> c == '\n').count()).as("one line per phase").isEqualTo(2);
        assertThat(out).contains("\u001b[K");
    }
}
