package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    @Test
    void theWarmUpBacklogLeavesTheRecentWindowWhenTheLiveDaysStart() {
        LatencyWindow window = new LatencyWindow(TimeUnit.SECONDS.toNanos(10));
        assertThat(window.recentQuantile(0.5)).isNaN();
        for (int i = 1; i <= 100; i++) {
            window.add(60_000 + i, false);
        }
        assertThat(window.recentQuantile(0.5)).isEqualTo(60_050);
        assertThat(window.kept()).as("warm-up samples are not the report's").isEmpty();

        for (int i = 1; i <= 100; i++) {
            window.add(i, true);
        }
        window.add(90_000, false); // a lagging partition's warm-up score
        assertThat(window.recentQuantile(0.5)).isEqualTo(50);
        assertThat(window.recentQuantile(0.99)).isEqualTo(99);
        assertThat(window.kept()).hasSize(100);
    }
}
