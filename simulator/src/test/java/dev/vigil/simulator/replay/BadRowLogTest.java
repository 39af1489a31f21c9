package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.csv.TransactionCsv.BadRow;
import org.junit.jupiter.api.Test;

class BadRowLogTest {

    @Test
    void countsEveryBadRowAndListsTheFirstOnes() {
        BadRowLog log = new BadRowLog(2);
        assertThat(log.summary()).isEqualTo("no bad rows");
        log.onBadRow(new BadRow(4, "amount is empty"));
        assertThat(log.summary()).isEqualTo("1 bad row: line 4: amount is empty");
        log.onBadRow(new BadRow(9, "label must be 0 or 1: '2'"));
        log.onBadRow(new BadRow(12, "unterminated quote"));
        assertThat(log.total()).isEqualTo(3);
        assertThat(log.first()).extracting(BadRow::lineNumber).containsExactly(4L, 9L);
        assertThat(log.summary())
                .isEqualTo("3 bad rows: line 4: amount is empty; line 9: label must be 0 or 1: '2'; ... and 1 more");
    }
}
