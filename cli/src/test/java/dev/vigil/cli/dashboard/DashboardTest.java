package dev.vigil.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class DashboardTest {

    private static final String CURSOR_UP_OVER_THE_PANEL = "\u001b[" + Dashboard.PANEL_LINES + "A";

    private final StringWriter written = new StringWriter();

    @Test
    void withoutATerminalEachRenderPrintsOnePlainLineWithTheNumbers() {
        Dashboard dashboard = new Dashboard(new PrintWriter(written), false);

        dashboard.render(snapshot("adapter 4 live: holdout AP 0.71 -> 0.74"));

        assertThat(written.toString()).isEqualTo("2026-02-19 14:05 day 8/14 | 1,830 tx/s p50 12 ms p99 41 ms | today "
                + "11,204 tx 83 alerts 97 labels P@100 0.71 | adapter 4 (3 promoted, 1 refused) | degraded 12 DLQ 0 "
                + "| adapter 4 live: holdout AP 0.71 -> 0.74" + System.lineSeparator());
    }

    @Test
    void plainLinesCarryNoEscapeSequencesAndOneLinePerRender() {
        Dashboard dashboard = new Dashboard(new PrintWriter(written), false);

        dashboard.render(snapshot("first"));
        dashboard.render(snapshot("second\nwith a line break"));
        dashboard.finish();

        assertThat(written.toString()).doesNotContain("\u001b")
                .endsWith("| second with a line break" + System.lineSeparator());
        assertThat(written.toString().lines()).hasSize(2);
    }

    @Test
    void numbersNotKnownYetReadNotAvailable() {
        DashboardSnapshot early = new DashboardSnapshot("2026-02-12 00:01", 1, 14, Double.NaN, Double.NaN,
                Double.NaN, 0, 0, 0, Double.NaN, 100, null, 0, 0, 0, 0, 0, null);

        String line = Dashboard.line(early);

        assertThat(line).isEqualTo("2026-02-12 00:01 day 1/14 | n/a tx/s p50 n/a p99 n/a | today 0 tx 0 alerts "
                + "0 labels P@100 n/a | adapter n/a (0 promoted, 0 refused) | degraded 0 DLQ 0");
        assertThat(String.join("\n", Dashboard.panel(early))).doesNotContain("NaN");
    }

    @Test
    void onATerminalTheSecondRenderMovesTheCursorBackUpOverThePanel() {
        Dashboard dashboard = new Dashboard(new PrintWriter(written), true);

        dashboard.render(snapshot("first"));
        String first = written.toString();
        dashboard.render(snapshot("second"));
        String second = written.toString().substring(first.length());

        assertThat(first).doesNotContain(CURSOR_UP_OVER_THE_PANEL).contains("1,830 tx/s").contains("first");
        assertThat(first.split("\n", -1)).hasSize(Dashboard.PANEL_LINES + 1);
        assertThat(second).startsWith(CURSOR_UP_OVER_THE_PANEL).contains("second").contains("\u001b[K");
        assertThat(second.split("\n", -1)).hasSize(Dashboard.PANEL_LINES + 1);
    }

    @Test
    void afterFinishTheNextRenderStartsANewPanelBelowTheOldOne() {
        Dashboard dashboard = new Dashboard(new PrintWriter(written), true);
        dashboard.render(snapshot("first"));
        dashboard.finish();
        int before = written.toString().length();

        dashboard.render(snapshot("after"));

        assertThat(written.toString()).endsWith("\n");
        assertThat(written.toString().substring(before)).doesNotContain(CURSOR_UP_OVER_THE_PANEL);
    }

    @Test
    void everyPanelLineFitsIn80ColumnsEvenWithHugeNumbersAndALongEvent() {
        DashboardSnapshot big = new DashboardSnapshot("2026-02-19 14:05", 140, 140, 123_456_789, 12_345, 99_999,
                9_876_543_210L, 1_234_567_890L, 1_234_567_890L, 0.5, 1000, "adapter-2026-02-19-very-long-version-name",
                1_000_000, 1_000_000, 9_999_999_999L, 9_999_999_999L, 99_999_999_999L, "x".repeat(300));

        assertThat(Dashboard.panel(big)).hasSize(Dashboard.PANEL_LINES)
                .allSatisfy(line -> assertThat(line.length()).isLessThan(80));
    }

    @Test
    void theProgressBarShowsTheShareOfDaysDone() {
        assertThat(Dashboard.progressBar(8, 16)).isEqualTo("[##########----------]  50%");
        assertThat(Dashboard.progressBar(0, 0)).isEqualTo("[--------------------]   0%");
        assertThat(Dashboard.progressBar(20, 14)).isEqualTo("[####################] 100%");
    }

    private static DashboardSnapshot snapshot(String lastEvent) {
        return new DashboardSnapshot("2026-02-19 14:05", 8, 14, 1830.4, 12.2, 41.0, 11_204, 83, 97, 0.71, 100, "4", 3,
                1, 12, 0, 301_944, lastEvent);
    }
}
