package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DayTallyTest {

    private static final LocalDate DAY = LocalDate.of(2026, 1, 22);

    @Test
    void precisionAtKRanksCardsByTheirHighestScoreOfTheDay() {
        DayTally tally = new DayTally();
        tally.scored(DAY, 1, "c1", 0.9, true, false, "1");
        tally.scored(DAY, 2, "c2", 0.8, false, false, "1");
        tally.scored(DAY, 3, "c3", 0.1, false, false, "1");
        tally.scored(DAY, 4, "c3", 0.95, false, true, "2"); // c3's highest score puts it first
        tally.scored(DAY, 5, "c4", 0.2, true, false, "2");

        assertThat(tally.precisionAtK(DAY, 2)).isEqualTo(0.5); // c3, c1
        assertThat(tally.precisionAtK(DAY, 3)).isEqualTo(1.0 / 3); // c3, c1, c2
        assertThat(tally.precisionAtK(DAY, 100)).as("fewer cards than k: share of those ranked").isEqualTo(0.5);
        assertThat(tally.precisionAtK(DAY.plusDays(1), 2)).isNaN();
    }

    @Test
    void countsEachDayApartAndRemembersTheAdapterOfItsLastScore() {
        DayTally tally = new DayTally();
        tally.scored(DAY, 10, "c1", 0.1, false, true, "1");
        tally.scored(DAY, 20, "c1", 0.1, false, false, "2");
        tally.scored(DAY.plusDays(1), 30, "c2", 0.1, false, false, "2");
        tally.alert(DAY);
        tally.label(DAY.plusDays(1), true);
        tally.deadLetter();

        assertThat(tally.scored(DAY)).isEqualTo(2);
        assertThat(tally.alerts(DAY)).isEqualTo(1);
        assertThat(tally.labels(DAY)).isZero();
        assertThat(tally.labels(DAY.plusDays(1))).isEqualTo(1);
        assertThat(tally.adapterAtEnd(DAY)).isEqualTo("2");
        assertThat(tally.degraded(DAY)).isEqualTo(1);
        assertThat(tally.degradedTotal()).isEqualTo(1);
        assertThat(tally.accounted()).as("scores and dead letters").isEqualTo(4);
        assertThat(tally.latestEventMillis()).isEqualTo(30);
    }
}
