package dev.vigil.evaluation;

import static dev.vigil.evaluation.TestTransactions.tx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertOutcomeTest {

    private static final String T = "2026-01-10T10:00:00Z";

    @Test
    void precisionAndRecallAreCountedPerTransactionFromTheAlertedFlag() {
        // alerted: fraud, fraud, genuine -> TP 2, FP 1; not alerted: fraud, genuine, genuine -> FN 1, TN 2.
        // precision = 2 / 3, recall = 2 / 3.
        AlertOutcome a = AlertOutcome.of(List.of(
                tx("A", T, true, 0.9, true, eur(100)),
                tx("B", T, true, 0.8, true, eur(100)),
                tx("C", T, false, 0.7, true, eur(100)),
                tx("D", T, true, 0.1, false, eur(100)),
                tx("E", T, false, 0.1, false, eur(100)),
                tx("F", T, false, 0.1, false, eur(100))));
        assertThat(a.truePositives()).isEqualTo(2);
        assertThat(a.falsePositives()).isEqualTo(1);
        assertThat(a.falseNegatives()).isEqualTo(1);
        assertThat(a.trueNegatives()).isEqualTo(2);
        assertThat(a.precision()).isEqualTo(2.0 / 3.0);
        assertThat(a.recall()).isEqualTo(2.0 / 3.0);
    }

    @Test
    void sumsFraudMoneyExactlyPerCurrency() {
        // EUR frauds: 12.34 alerted + 0.01 alerted + 100.00 missed -> caught 12.35 of 112.35.
        // JPY fraud: 5000 yen missed -> caught 0 of 5000. A genuine alerted 999.99 EUR counts nowhere.
        AlertOutcome a = AlertOutcome.of(List.of(
                tx("A", T, true, 0.9, true, eur(1234)),
                tx("B", T, true, 0.9, true, eur(1)),
                tx("C", T, true, 0.1, false, eur(10000)),
                tx("D", T, true, 0.1, false, new Money(5000, "JPY")),
                tx("E", T, false, 0.9, true, eur(99999))));
        assertThat(a.fraudAmounts()).containsExactly(
                new AlertOutcome.FraudAmount("EUR", 1235, 11235),
                new AlertOutcome.FraudAmount("JPY", 0, 5000));
        AlertOutcome.FraudAmount euros = a.fraudAmounts().get(0);
        assertThat(euros.caught().toDecimalString()).isEqualTo("12.35");
        assertThat(euros.total().toDecimalString()).isEqualTo("112.35");
        assertThat(euros.caughtShare()).isEqualTo(1235.0 / 11235.0);
        assertThat(a.fraudAmounts().get(1).caughtShare()).isZero();
    }

    @Test
    void undefinedRatesAreNaN() {
        // Nothing alerted: precision 0/0. No fraud: recall 0/0, and no currency has fraud money.
        AlertOutcome a = AlertOutcome.of(List.of(tx("A", T, false, 0.1, false, eur(100))));
        assertThat(a.precision()).isNaN();
        assertThat(a.recall()).isNaN();
        assertThat(a.fraudAmounts()).isEmpty();
        assertThat(new AlertOutcome.FraudAmount("EUR", 0, 0).caughtShare()).isNaN();
    }

    private static Money eur(long cents) {
        return new Money(cents, "EUR");
    }
}
