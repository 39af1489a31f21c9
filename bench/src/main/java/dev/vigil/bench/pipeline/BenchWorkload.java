package dev.vigil.bench.pipeline;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import dev.vigil.model.features.PointInTimeFeatures;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.simulator.generate.PaymentSimulator;
import dev.vigil.simulator.generate.SimulatedDay;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.simulator.replay.TransactionReplayer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The payments of one bench run, from one simulator run: the first {@code historyDays} days become the labeled
 * history the cases index holds before measuring (cases with the serving code's case vectors, chargebacks for their
 * frauds), and the payments of the days after it, in event-time order, are the ones the pipeline is measured on. So
 * the measured payments' event times follow the history, as they would in production, and merchant windows and
 * similar-case searches run against an index of realistic size and content.
 *
 * @param measured the payments after the history, as the Avro records the pipeline reads
 */
record BenchWorkload(List<Case> historyCases, List<CaseLabel> historyLabels, long historyFrauds,
                     Instant historyStart, Instant historyEnd, List<Transaction> measured) {

    /** Chargebacks arrive this long after the fraudulent payment (as in the demo and the trainer). */
    static final Duration CHARGEBACK_DELAY = Duration.ofDays(7);

    /**
     * Simulates {@code historyDays} days of history, then as many further days as it takes to have {@code measured}
     * payments after it.
     */
    static BenchWorkload simulate(SimulationConfig config, int historyDays, int measured, FeatureEncoder encoder) {
        PaymentSimulator simulator = new PaymentSimulator(config);
        Iterator<SimulatedDay> days = simulator.days();
        List<CsvTransaction> historyRows = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        Map<String, CardHistory> cards = new HashMap<>();
        Instant start = config.start().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        for (int day = 0; day < historyDays && days.hasNext(); day++) {
            for (CsvTransaction row : days.next().transactions()) {
                // the case vector is the one serving computes: the card as it was before this payment
                Payment p = Payment.of(row);
                CardHistory state = cards.computeIfAbsent(p.cardId(), id -> encoder.emptyHistory());
                cases.add(p.toCase(encoder.cardFeatures(p, state).caseVector()));
                state.update(p);
                historyRows.add(row);
            }
        }
        List<CaseLabel> labels = PointInTimeFeatures.chargebacks(historyRows, CHARGEBACK_DELAY);
        List<Transaction> after = new ArrayList<>(measured);
        while (after.size() < measured && days.hasNext()) {
            for (CsvTransaction row : days.next().transactions()) {
                if (after.size() == measured) {
                    break;
                }
                after.add(TransactionReplayer.toTransaction(row));
            }
        }
        if (after.size() < measured) {
            throw new IllegalStateException("the simulation of " + config.days() + " days holds only " + after.size()
                    + " payments after the history, " + measured + " are needed: simulate more cards");
        }
        return new BenchWorkload(cases, labels, labels.size(), start, start.plus(Duration.ofDays(historyDays)),
                after);
    }

    /**
     * The same workload on today's clock: the history moved so that it ends at {@code end}, as if it were the last
     * {@code historyDays} days. The measured payments keep their order; the bench gives them event times at the pace
     * they are offered ({@link #at}), so the event time of the stream runs with the wall clock as it does in
     * production, and what depends on it (merchant windows, the cache's event-time TTL) behaves as it would there.
     */
    BenchWorkload endingAt(Instant end) {
        Duration shift = Duration.between(historyEnd, end);
        List<Case> cases = historyCases.stream().map(c -> new Case(c.transactionId(), c.cardId(), c.merchantId(),
                c.eventTime().plus(shift), c.amountMinor(), c.currency(), c.vector())).toList();
        List<CaseLabel> labels = historyLabels.stream().map(l -> new CaseLabel(l.transactionId(), l.isFraud(),
                l.labelTime().plus(shift), l.source())).toList();
        return new BenchWorkload(cases, labels, historyFrauds, historyStart.plus(shift), end, measured);
    }

    /** The i-th of a series of payments offered at {@code rate} per second from {@code start}: its event time. */
    static Transaction at(Transaction t, Instant start, long i, double rate) {
        return Transaction.newBuilder(t).setEventTime(start.plusNanos((long) (i * 1e9 / rate))).build();
    }
}
