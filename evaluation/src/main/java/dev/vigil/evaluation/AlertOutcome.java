package dev.vigil.evaluation;

import dev.vigil.schemas.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the scorer's own alerts (the {@code alerted} flag, i.e. its operating threshold) did, per transaction, and the
 * fraud money they caught. Precision is NaN when nothing was alerted, recall when there was no fraud.
 */
public record AlertOutcome(long truePositives, long falsePositives, long falseNegatives, long trueNegatives,
                           List<FraudAmount> fraudAmounts) {

    public AlertOutcome {
        fraudAmounts = List.copyOf(fraudAmounts);
    }

    public static AlertOutcome of(List<ScoredTransaction> transactions) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        Map<String, long[]> amounts = new TreeMap<>(); // currency -> {caught, total} in minor units
        for (ScoredTransaction t : transactions) {
            if (t.fraud()) {
                long[] a = amounts.computeIfAbsent(t.amount().currency(), c -> new long[2]);
                a[1] = Math.addExact(a[1], t.amount().minorUnits());
                if (t.alerted()) {
                    tp++;
                    a[0] = Math.addExact(a[0], t.amount().minorUnits());
                } else {
                    fn++;
                }
            } else if (t.alerted()) {
                fp++;
            } else {
                tn++;
            }
        }
        List<FraudAmount> perCurrency = new ArrayList<>(amounts.size());
        amounts.forEach((currency, a) -> perCurrency.add(new FraudAmount(currency, a[0], a[1])));
        return new AlertOutcome(tp, fp, fn, tn, perCurrency);
    }

    public long alerts() {
        return truePositives + falsePositives;
    }

    /** Share of alerted transactions that are fraud; NaN when nothing was alerted. */
    public double precision() {
        return alerts() == 0 ? Double.NaN : (double) truePositives / alerts();
    }

    /** Share of fraud transactions that were alerted; NaN when there was no fraud. */
    public double recall() {
        long frauds = truePositives + falseNegatives;
        return frauds == 0 ? Double.NaN : (double) truePositives / frauds;
    }

    /**
     * Fraud money in one currency, exact in minor units: amounts of different currencies are never added together.
     *
     * @param caughtMinorUnits the amounts of alerted fraud transactions
     * @param totalMinorUnits  the amounts of all fraud transactions
     */
    public record FraudAmount(String currency, long caughtMinorUnits, long totalMinorUnits) {

        public Money caught() {
            return new Money(caughtMinorUnits, currency);
        }

        public Money total() {
            return new Money(totalMinorUnits, currency);
        }

        /** caught / total; NaN when the fraud total is zero. */
        public double caughtShare() {
            return totalMinorUnits == 0 ? Double.NaN : (double) caughtMinorUnits / totalMinorUnits;
        }
    }
}
