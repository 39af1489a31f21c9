package dev.vigil.cli.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts per simulated UTC day of what came out of the pipeline: scores (by the payment's event time), alerts (by
 * event time), labels (by label time), the adapter version of the day's last score, and each card's highest score
 * with whether the simulation says the card had a fraud that day (precision@k "today"). Thread-safe: one reader
 * thread adds, the dashboard reads.
 */
final class DayTally {

    private static final class Day {
        long scored;
        long alerts;
        long labels;
        long fraudLabels;
        long degraded;
        String adapterAtEnd;
        final Map<String, Double> cardMaxScore = new HashMap<>();
        final Set<String> fraudCards = new HashSet<>();
    }

    private final Map<LocalDate, Day> days = new TreeMap<>();
    private long scoredTotal;
    private long degradedTotal;
    private long deadLettersTotal;
    private long latestEventMillis;

    synchronized void scored(LocalDate day, long eventMillis, String cardId, double score, boolean fraud,
                             boolean degraded, String adapterVersion) {
        Day d = day(day);
        d.scored++;
        d.cardMaxScore.merge(cardId, score, Math::max);
        if (fraud) {
            d.fraudCards.add(cardId);
        }
        d.adapterAtEnd = adapterVersion;
        scoredTotal++;
        if (degraded) {
            degradedTotal++;
            d.degraded++;
        }
        latestEventMillis = Math.max(latestEventMillis, eventMillis);
    }

    synchronized void alert(LocalDate day) {
        day(day).alerts++;
    }

    synchronized void label(LocalDate day, boolean fraud) {
        Day d = day(day);
        d.labels++;
        if (fraud) {
            d.fraudLabels++;
        }
    }

    synchronized void deadLetter() {
        deadLettersTotal++;
    }

    synchronized long scoredTotal() {
        return scoredTotal;
    }

    /** Scores plus dead letters: every transaction the pipeline has accounted for. */
    synchronized long accounted() {
        return scoredTotal + deadLettersTotal;
    }

    synchronized long degradedTotal() {
        return degradedTotal;
    }

    synchronized long deadLettersTotal() {
        return deadLettersTotal;
    }

    /** Event time of the latest payment scored (epoch ms); 0 before the first. */
    synchronized long latestEventMillis() {
        return latestEventMillis;
    }

    synchronized long scored(LocalDate day) {
        Day d = days.get(day);
        return d == null ? 0 : d.scored;
    }

    synchronized long alerts(LocalDate day) {
        Day d = days.get(day);
        return d == null ? 0 : d.alerts;
    }

    synchronized long labels(LocalDate day) {
        Day d = days.get(day);
        return d == null ? 0 : d.labels;
    }

    synchronized long degraded(LocalDate day) {
        Day d = days.get(day);
        return d == null ? 0 : d.degraded;
    }

    synchronized String adapterAtEnd(LocalDate day) {
        Day d = days.get(day);
        return d == null ? null : d.adapterAtEnd;
    }

    /**
     * Of the day's top {@code k} cards by their highest score so far, the share the simulation says had a fraud that
     * day; the denominator is the cards ranked (fewer than k early in a day). NaN before any score.
     */
    synchronized double precisionAtK(LocalDate day, int k) {
        Day d = days.get(day);
        if (d == null || d.cardMaxScore.isEmpty()) {
            return Double.NaN;
        }
        List<Map.Entry<String, Double>> cards = new ArrayList<>(d.cardMaxScore.entrySet());
        cards.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        int top = Math.min(k, cards.size());
        int fraud = 0;
        for (int i = 0; i < top; i++) {
            if (d.fraudCards.contains(cards.get(i).getKey())) {
                fraud++;
            }
        }
        return (double) fraud / top;
    }

    private Day day(LocalDate day) {
        return days.computeIfAbsent(day, x -> new Day());
    }
}
