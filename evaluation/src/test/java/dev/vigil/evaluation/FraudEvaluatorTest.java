package dev.vigil.evaluation;

import static dev.vigil.evaluation.TestTransactions.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.schemas.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FraudEvaluatorTest {

    private static final double EXACT = 1e-15;
    static final Instant HISTORY_FROM = Instant.parse("2026-01-01T00:00:00Z");
    static final TestWindow WINDOW = TestWindow.days(LocalDate.parse("2026-01-09"), 2);

    /**
     * The hand-computed case shared with the command's end-to-end test. Test window 01-09 and 01-10, label delay
     * 7 days, history from 01-01, k = 1.
     * <pre>
     * h1 X 01-01 10:00 fraud   0.20           history only (outside the window)
     * t1 X 01-09 08:00 fraud   0.95 alerted   excluded: X's fraud of 01-01 is known on 01-09 (cutoff 01-02)
     * t2 Y 01-09 09:00 fraud   0.90 alerted   25.00 EUR
     * t3 Z 01-09 10:00 genuine 0.80 alerted
     * t4 Z 01-09 11:00 genuine 0.35
     * t5 W 01-10 12:00 fraud   0.30           12.34 EUR
     * t6 V 01-10 13:00 genuine 0.30
     * t7 U 01-11 00:00 genuine 0.99 alerted   outside the window (its end is exclusive)
     * </pre>
     */
    static List<ScoredTransaction> handCase() {
        return List.of(
                tx("X", "2026-01-01T10:00:00Z", true, 0.20, false, eur(1000)),
                tx("X", "2026-01-09T08:00:00Z", true, 0.95, true, eur(1000)),
                tx("Y", "2026-01-09T09:00:00Z", true, 0.90, true, eur(2500)),
                tx("Z", "2026-01-09T10:00:00Z", false, 0.80, true, eur(1000)),
                tx("Z", "2026-01-09T11:00:00Z", false, 0.35, false, eur(1000)),
                tx("W", "2026-01-10T12:00:00Z", true, 0.30, false, eur(1234)),
                tx("V", "2026-01-10T13:00:00Z", false, 0.30, false, eur(1000)),
                tx("U", "2026-01-11T00:00:00Z", false, 0.99, true, eur(1000)));
    }

    @Test
    void runsTheProtocolOnTheHandComputedCase() {
        List<ScoredTransaction> all = handCase();
        KnownCompromisedCards known = KnownCompromisedCards.of(HISTORY_FROM, Duration.ofDays(7), all);
        Evaluation e = new FraudEvaluator(1).evaluate(WINDOW, all, known);

        // Evaluated: t2..t6. Frauds {t2 0.90, t5 0.30}; genuine {t3 0.80, t4 0.35, t6 0.30}; 2 x 3 = 6 pairs.
        // AUC: t2 beats all three -> 3; t5 loses to 0.80 and 0.35, ties 0.30 -> 0.5. U = 3.5, AUC = 3.5/6 = 7/12.
        // (With the known-compromised t1 0.95 kept it would be (3 + 3.5) / 9 = 0.7222: the exclusion matters.)
        assertThat(e.rocAuc()).isCloseTo(7.0 / 12.0, within(EXACT));
        // AP: 0.90 (1,0) R 1/2 P 1 -> 0.5; 0.80 (1,1), 0.35 (1,2) add no recall; 0.30 (2,3) R 1 P 2/5 -> 0.2.
        // AP = 0.7.
        assertThat(e.averagePrecision()).isCloseTo(0.7, within(EXACT));
        // CP@1. 01-09: X excluded; Y 0.90 fraud tops Z 0.80 -> 1. 01-10: W and V tie at 0.30 for the one place,
        // one of two fraudulent -> 1/2. Mean = 0.75.
        assertThat(e.cardPrecision().days()).extracting(CardPrecision.Day::precision).containsExactly(1.0, 0.5);
        assertThat(e.cardPrecisionAtK()).isEqualTo(0.75);
        assertThat(e.cardPrecision().days().get(0).knownCompromisedCardsExcluded()).isEqualTo(1);
        assertThat(e.cardPrecision().days().get(1).boundaryTie())
                .isEqualTo(new CardPrecision.BoundaryTie(0.30, 2, 1, 1));
        // Alerts among t2..t6: t2 TP, t3 FP, t5 FN, t4 and t6 TN -> precision 1/2, recall 1/2.
        // Fraud money: caught 25.00 of 25.00 + 12.34 = 37.34 EUR.
        assertThat(e.alerts().precision()).isEqualTo(0.5);
        assertThat(e.alerts().recall()).isEqualTo(0.5);
        assertThat(e.alerts().fraudAmounts()).containsExactly(new AlertOutcome.FraudAmount("EUR", 2500, 3734));

        assertThat(e.counts()).isEqualTo(new Evaluation.Counts(8, 2, 1, 5, 2, 4, 2));
        // The history holds every fraud card seen: X, Y and W.
        assertThat(e.provenance()).isEqualTo(new Evaluation.Provenance(WINDOW, 1, Duration.ofDays(7), HISTORY_FROM,
                true, 3));
        assertThat(e.notes()).isEmpty();
    }

    @Test
    void isDeterministic() {
        List<ScoredTransaction> all = handCase();
        KnownCompromisedCards known = KnownCompromisedCards.of(HISTORY_FROM, Duration.ofDays(7), all);
        Evaluation first = new FraudEvaluator(1).evaluate(WINDOW, all, known);
        List<ScoredTransaction> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        Evaluation second = new FraudEvaluator(1).evaluate(WINDOW, reversed, known);
        assertThat(second.rocAuc()).isEqualTo(first.rocAuc());
        assertThat(second.averagePrecision()).isEqualTo(first.averagePrecision());
        assertThat(second.cardPrecision()).isEqualTo(first.cardPrecision());
    }

    @Test
    void aWindowWithoutFraudGivesNaNsWithReasonsInsteadOfThrowing() {
        List<ScoredTransaction> genuine = List.of(
                tx("A", "2026-01-09T10:00:00Z", false, 0.9),
                tx("B", "2026-01-09T11:00:00Z", false, 0.1));
        Evaluation e = new FraudEvaluator(100).evaluate(WINDOW, genuine, KnownCompromisedCards.none());
        assertThat(e.rocAuc()).isNaN();
        assertThat(e.averagePrecision()).isNaN();
        assertThat(e.cardPrecisionAtK()).isZero(); // defined: no card in the top 100 is fraudulent
        assertThat(e.alerts().precision()).isNaN();
        assertThat(e.alerts().recall()).isNaN();
        assertThat(e.notes()).anyMatch(n -> n.startsWith("AUC-ROC is undefined: no fraud"))
                .anyMatch(n -> n.startsWith("average precision is undefined: no fraud"))
                .anyMatch(n -> n.startsWith("alert precision is undefined"))
                .anyMatch(n -> n.startsWith("alert recall"));
    }

    @Test
    void aWindowWhereEverythingIsFraudHasAPerfectAPAndNoAUC() {
        List<ScoredTransaction> fraud = List.of(
                tx("A", "2026-01-09T10:00:00Z", true, 0.9),
                tx("B", "2026-01-09T11:00:00Z", true, 0.1));
        Evaluation e = new FraudEvaluator(2).evaluate(WINDOW, fraud, KnownCompromisedCards.none());
        assertThat(e.rocAuc()).isNaN();
        assertThat(e.averagePrecision()).isEqualTo(1.0);
        assertThat(e.cardPrecisionAtK()).isEqualTo(1.0);
        assertThat(e.notes()).containsExactly("AUC-ROC is undefined: all 2 evaluated transactions are fraud",
                "alert precision is undefined: no evaluated transaction was alerted");
    }

    @Test
    void anEmptyWindowSaysSo() {
        Evaluation e = new FraudEvaluator(100).evaluate(WINDOW, List.of(
                tx("A", "2026-02-01T10:00:00Z", true, 0.9)), KnownCompromisedCards.none());
        assertThat(e.counts().evaluated()).isZero();
        assertThat(e.counts().outsideWindow()).isEqualTo(1);
        assertThat(e.cardPrecisionAtK()).isNaN();
        assertThat(e.notes()).contains("no transaction falls inside the test window");
    }

    private static Money eur(long cents) {
        return new Money(cents, "EUR");
    }
}
