package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    @Test
    void isHalfOpen() {
        ReplayWindow window = new ReplayWindow(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-02-02T00:00:00Z"));
        assertThat(window.contains(Instant.parse("2026-01-31T23:59:59.999Z"))).isFalse();
        assertThat(window.contains(Instant.parse("2026-02-01T00:00:00Z"))).isTrue();
        assertThat(window.contains(Instant.parse("2026-02-01T23:59:59.999Z"))).isTrue();
        assertThat(window.contains(Instant.parse("2026-02-02T00:00:00Z"))).isFalse();
        assertThat(ReplayWindow.ALL.contains(Long.MIN_VALUE)).isTrue();
        assertThat(new ReplayWindow(Instant.EPOCH, null).contains(Long.MAX_VALUE)).isTrue();
    }

    @Test
    void readsDatesAsMidnightUtcAndTimesAsTheCsvDoes() {
        assertThat(ReplayWindow.parseBound("2026-02-01")).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(ReplayWindow.parseBound("2026-02-01T06:30:00Z")).isEqualTo(Instant.parse("2026-02-01T06:30:00Z"));
        assertThat(ReplayWindow.parseBound("2026-02-01T06:30:00+02:00")).isEqualTo(Instant.parse("2026-02-01T04:30:00Z"));
        assertThat(ReplayWindow.parseBound("2026-02-01 06:30:00")).isEqualTo(Instant.parse("2026-02-01T06:30:00Z"));
        assertThatThrownBy(() -> ReplayWindow.parseBound("yesterday")).hasMessageContaining("'yesterday'");
        assertThatThrownBy(() -> ReplayWindow.parseBound("2026-13-01")).hasMessageContaining("2026-13-01");
    }

    @Test
    void rejectsAnEmptyWindow() {
        Instant t = Instant.parse("2026-02-01T00:00:00Z");
        assertThatThrownBy(() -> new ReplayWindow(t, t)).hasMessageContaining("empty");
    }
}
