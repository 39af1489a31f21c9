package dev.vigil.evaluation;

import dev.vigil.schemas.Money;
import java.time.Instant;

/** Short constructors for hand-written test cases. */
final class TestTransactions {

    private static int next;

    private TestTransactions() {
    }

    /** A 10.00 EUR transaction, not alerted. */
    static ScoredTransaction tx(String card, String time, boolean fraud, double score) {
        return tx(card, time, fraud, score, false, new Money(1000, "EUR"));
    }

    static ScoredTransaction tx(String card, String time, boolean fraud, double score, boolean alerted, Money amount) {
        return new ScoredTransaction("t" + (next++), card, Instant.parse(time), amount, fraud, score, alerted);
    }

    static boolean[] labels(int... zeroOrOne) {
        boolean[] fraud = new boolean[zeroOrOne.length];
        for (int i = 0; i < zeroOrOne.length; i++) {
            fraud[i] = zeroOrOne[i] == 1;
        }
        return fraud;
    }
}
