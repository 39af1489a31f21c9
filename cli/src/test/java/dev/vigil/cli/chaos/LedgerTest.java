package dev.vigil.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void aRowCountsItsWindowsPaymentsScoresGapsAndDeadLetters() {
        Ledger ledger = new Ledger();
        // ten payments, 100 ms apart, from t = 10,000; the fault at 10,000, healed at 10,500, next fault at 11,000
        for (int i = 0; i < 10; i++) {
            ledger.produced("tx-" + i, 10_000 + 100L * i);
        }
        ledger.produced("tx-later", 11_500);
        ledger.scored(new Ledger.Score("tx-before", 0, 9_000, false, "1"));
        for (int i = 0; i < 10; i++) {
            if (i == 3) {
                continue; // never scored
            }
            long visible = i < 5 ? 13_000 : 10_000 + 100L * i + 20; // the first five waited for a failover
            ledger.scored(new Ledger.Score("tx-" + i, 0, visible, i == 6, "1"));
        }
        ledger.scored(new Ledger.Score("tx-7", 0, 10_800, false, "1")); // scored twice
        ledger.deadLetter(new Ledger.DeadLetterSeen("validate", "amount 0", 10_200));
        ledger.deadLetter(new Ledger.DeadLetterSeen("validate", "next window", 11_200));

        Ledger.Row row = ledger.row("kill", 10_000, 10_000, 10_500, 11_000, "note");

        assertThat(row.produced()).isEqualTo(10);
        assertThat(row.scored()).isEqualTo(9);
        assertThat(row.missing()).isEqualTo(1);
        assertThat(row.duplicated()).isEqualTo(1);
        assertThat(row.deadLetters()).isEqualTo(Map.of("validate", 1));
        assertThat(row.degradedShare()).isEqualTo(1.0 / 9);
        assertThat(row.contextBackMillis()).as("tx-6, produced after the heal, degraded, visible at 10,620")
                .isEqualTo(120);
        assertThat(row.maxWaitMillis()).as("tx-0 waited from 10,000 to 13,000").isEqualTo(3_000);
        assertThat(row.recoveryMillis()).as("the last slow payment was scored 3 s after the fault").isEqualTo(3_000);
        assertThat(row.largestGapMillis()).as("partition 0: nothing between 9,000 and 10,520").isEqualTo(1_520);
        assertThat(row.resumed()).isTrue();
        assertThat(ledger.missing()).as("tx-3 and tx-later").isEqualTo(2);
        assertThat(ledger.duplicated()).as("tx-7 twice, tx-before never produced").isEqualTo(2);
    }

    @Test
    void scoringThatNeverResumesAfterTheHealIsAPoisonPill() {
        Ledger ledger = new Ledger();
        ledger.produced("tx-0", 1_000);
        ledger.scored(new Ledger.Score("tx-0", 0, 1_050, false, "1"));
        ledger.produced("tx-1", 2_500);
        ledger.produced("tx-2", 2_600);

        Ledger.Row row = ledger.row("poison", 1_000, 1_000, 2_000, 3_000, null);

        assertThat(row.resumed()).isFalse();
        assertThat(row.missing()).isEqualTo(2);
        assertThat(ledger.row("no load after the heal", 1_000, 1_000, 2_000, 2_400, null).resumed()).isTrue();
    }
}
