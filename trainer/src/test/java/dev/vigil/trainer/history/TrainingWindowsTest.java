package dev.vigil.trainer.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrainingWindowsTest {

    private static final Instant JAN_8 = Instant.parse("2026-01-08T00:00:00Z");
    private static final Instant FEB_12 = Instant.parse("2026-02-12T00:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    @Test
    void withoutATestWindowTheTestStartsOneLabelDelayAfterTrainingAndLastsTheTestDays() {
        TrainingWindows w = TrainingWindows.resolve(JAN_8, FEB_12, null, null, WEEK, 7, 7);

        assertThat(w.testFrom()).isEqualTo(Instant.parse("2026-02-19T00:00:00Z"));
        assertThat(w.testTo()).isEqualTo(Instant.parse("2026-02-26T00:00:00Z"));
        assertThat(w.gap()).isEqualTo(WEEK);
        assertThat(w.warnings()).isEmpty();
    }

    @Test
    void theAdapterWindowIsTheLastDaysOfTheTrainWindowAndNeverStartsBeforeIt() {
        TrainingWindows week = TrainingWindows.resolve(JAN_8, FEB_12, null, null, WEEK, 7, 7);
        TrainingWindows longer = TrainingWindows.resolve(JAN_8, JAN_8.plus(Duration.ofDays(3)), null, null, WEEK, 7, 7);

        assertThat(week.adapterFrom()).isEqualTo(Instant.parse("2026-02-05T00:00:00Z"));
        assertThat(longer.adapterFrom()).isEqualTo(JAN_8);
        assertThat(week.inAdapterWindow(Instant.parse("2026-02-05T00:00:00Z"))).isTrue();
        assertThat(week.inAdapterWindow(Instant.parse("2026-02-04T23:59:59Z"))).isFalse();
        assertThat(week.inAdapterWindow(FEB_12)).isFalse();
    }

    @Test
    void everyWindowIsHalfOpen() {
        TrainingWindows w = TrainingWindows.resolve(JAN_8, FEB_12, null, null, WEEK, 7, 7);

        assertThat(w.roleOf(JAN_8.minusMillis(1))).isEqualTo(TrainingWindows.Role.BEFORE);
        assertThat(w.roleOf(JAN_8)).isEqualTo(TrainingWindows.Role.TRAIN);
        assertThat(w.roleOf(FEB_12.minusMillis(1))).isEqualTo(TrainingWindows.Role.TRAIN);
        assertThat(w.roleOf(FEB_12)).isEqualTo(TrainingWindows.Role.GAP);
        assertThat(w.roleOf(w.testFrom())).isEqualTo(TrainingWindows.Role.TEST);
        assertThat(w.roleOf(w.testTo().minusMillis(1))).isEqualTo(TrainingWindows.Role.TEST);
        assertThat(w.roleOf(w.testTo())).isEqualTo(TrainingWindows.Role.AFTER);
        assertThat(w.testWindow().contains(w.testFrom())).isTrue();
        assertThat(w.testWindow().contains(w.testTo())).isFalse();
    }

    @Test
    void aTestWindowOverlappingTrainingIsRefusedWithTheOptionsNamed() {
        assertThatThrownBy(() -> TrainingWindows.resolve(JAN_8, FEB_12, FEB_12.minusSeconds(1), null, WEEK, 7, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--test-from")
                .hasMessageContaining("--train-to");
        assertThatThrownBy(() -> TrainingWindows.resolve(FEB_12, JAN_8, null, null, WEEK, 7, 7))
                .hasMessageContaining("--train-to");
    }

    @Test
    void aGapShorterThanTheLabelDelayIsAllowedButWarnedAbout() {
        TrainingWindows w = TrainingWindows.resolve(JAN_8, FEB_12, FEB_12, null, WEEK, 7, 7);

        assertThat(w.gap()).isEqualTo(Duration.ZERO);
        assertThat(w.warnings()).singleElement().asString().contains("shorter than the label delay");
    }
}
