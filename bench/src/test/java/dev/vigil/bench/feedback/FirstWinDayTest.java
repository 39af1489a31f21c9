package dev.vigil.bench.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "first win day" of {@code bench feedback}'s last line: from when the loop stays ahead of the frozen adapter. */
class FirstWinDayTest {

    @Test
    void theFirstDayTheLoopLeadsAndIsNeverBehindAfterwards() {
        // day 1 leads but day 2 falls behind; from day 3 the loop leads, then ties
        assertThat(FeedbackBenchCommand.firstWinDay(days(new double[][] {
                {0.1, 0.1}, {0.2, 0.1}, {0.1, 0.2}, {0.3, 0.2}, {0.3, 0.3}}))).isEqualTo("3");
    }

    @Test
    void noneWhenTheLoopNeverStaysAhead() {
        assertThat(FeedbackBenchCommand.firstWinDay(days(new double[][] {{0.1, 0.1}, {0.2, 0.1}, {0.1, 0.2}})))
                .isEqualTo("none");
        assertThat(FeedbackBenchCommand.firstWinDay(days(new double[][] {{0.1, 0.1}, {0.2, 0.2}}))).isEqualTo("none");
        assertThat(FeedbackBenchCommand.firstWinDay(List.of())).isEqualTo("none");
    }

    @Test
    void aDayWithoutACardPrecisionNeitherWinsNorLoses() {
        assertThat(FeedbackBenchCommand.firstWinDay(days(new double[][] {
                {Double.NaN, 0.1}, {0.2, 0.1}, {Double.NaN, 0.3}, {0.3, 0.3}}))).isEqualTo("1");
    }

    /** Wave days with the loop's and the frozen adapter's CP@100. */
    private static List<WaveReplay.Day> days(double[][] cp) {
        List<WaveReplay.Day> days = new ArrayList<>();
        for (int i = 0; i < cp.length; i++) {
            days.add(new WaveReplay.Day(LocalDate.of(2026, 2, 18).plusDays(i), true, 100, 1, 1,
                    new WaveReplay.ArmDay(cp[i][0], 0.5, 1, 0, 100, 0, "-"),
                    new WaveReplay.ArmDay(cp[i][1], 0.5, 1, 0, 100, 0, "-")));
        }
        return days;
    }
}
