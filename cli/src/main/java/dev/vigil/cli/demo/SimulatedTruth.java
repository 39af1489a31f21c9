package dev.vigil.cli.demo;

import dev.vigil.evaluation.KnownCompromisedCards;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.simulator.analysts.FraudTruth;
import dev.vigil.simulator.generate.Scenario;
import dev.vigil.simulator.generate.SimulatedDay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the simulation knows and the pipeline does not: which payments are fraud. Collected while the simulation is
 * written (one pass, only the fraud rows kept), it grades the demo's precision and feeds the analyst simulator.
 */
public final class SimulatedTruth {

    private record Fraud(String transactionId, String cardId, Instant eventTime) {}

    private final Set<String> fraudIds = new HashSet<>();
    private final Set<String> waveIds = new HashSet<>();
    private final List<Fraud> frauds = new ArrayList<>();
    private final Map<LocalDate, long[]> perDay = new TreeMap<>(); // transactions, frauds, wave frauds
    private long rows;

    /** Records one simulated day (call in day order). */
    public void add(SimulatedDay day) {
        long[] counts = perDay.computeIfAbsent(day.date(), d -> new long[3]);
        for (int i = 0; i < day.size(); i++) {
            CsvTransaction t = day.get(i);
            rows++;
            counts[0]++;
            if (t.isFraud()) {
                fraudIds.add(t.transactionId());
                frauds.add(new Fraud(t.transactionId(), t.cardId(), t.eventTime()));
                counts[1]++;
                if (day.scenario(i) == Scenario.MERCHANT_WAVE) {
                    counts[2]++;
                    waveIds.add(t.transactionId());
                }
            }
        }
    }

    public boolean isFraud(String transactionId) {
        return fraudIds.contains(transactionId);
    }

    /** True for a fraud of the fuel-station wave ({@code merchant_wave}). */
    public boolean isWaveFraud(String transactionId) {
        return waveIds.contains(transactionId);
    }

    public long transactions(LocalDate day) {
        return perDay.getOrDefault(day, new long[3])[0];
    }

    public long frauds(LocalDate day) {
        return perDay.getOrDefault(day, new long[3])[1];
    }

    public long waveFrauds(LocalDate day) {
        return perDay.getOrDefault(day, new long[3])[2];
    }

    public long rows() {
        return rows;
    }

    public int fraudCount() {
        return fraudIds.size();
    }

    /** The analysts' view of the same truth. */
    public FraudTruth forAnalysts() {
        return new FraudTruth(Set.copyOf(fraudIds), rows);
    }

    /**
     * The Handbook's exclusion, following the labels the replay publishes: cards whose fraud was known before a day
     * (its chargeback back, or its cardholder's report) are not graded on it. {@code card} names a card as the scores
     * do (its token, when the scorer tokenizes card ids).
     */
    public KnownCompromisedCards knownCompromised(Instant historyFrom, Duration labelDelay,
                                                  dev.vigil.simulator.replay.CardholderReports reports,
                                                  java.util.function.UnaryOperator<String> card) {
        KnownCompromisedCards known = new KnownCompromisedCards(historyFrom, labelDelay);
        for (Fraud f : frauds) {
            known.recordFraud(card.apply(f.cardId()), f.eventTime());
            reports.reportTime(f.transactionId(), f.eventTime())
                    .ifPresent(at -> known.recordReport(card.apply(f.cardId()), f.eventTime(), at));
        }
        return known;
    }
}
