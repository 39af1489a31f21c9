package dev.vigil.evaluation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Card precision@k per day, the Fraud Detection Handbook's {@code card_precision_top_k} (Le Borgne et al.,
 * "Reproducible Machine Learning for Credit Card Fraud Detection - Practical Handbook", performance metrics): analysts
 * can check k cards a day, so what matters is how many of the k most suspicious cards are really compromised.
 *
 * <p>For each test day, in order: drop the cards known compromised that day ({@link KnownCompromisedCards}) and the
 * cards already found on an earlier day of this window; give every remaining card its highest score that day and
 * mark it fraudulent if any of its transactions that day is fraud; rank the cards by that score; CP@k = fraudulent
 * cards in the top k / k. The denominator is always k, also on a day with fewer than k cards (as in the Handbook).
 * Days are the UTC days that keep at least one transaction after the known-compromised exclusion.
 *
 * <p>Ties, which the Handbook leaves to pandas' sort order:
 * <ul>
 *   <li>the value is the expectation under a uniformly random order within ties: a tied group of g cards with f
 *       fraudulent ones that straddles place k, with r places left for it, adds f * r / g;</li>
 *   <li>the cards "found" that day, removed from later days, are the fraudulent cards ranked strictly above the
 *       tied group plus every fraudulent card of the straddling group. This is deterministic and conservative: a
 *       tied card is credited r / g on the day and never again, while a random tie-break would sometimes leave it to
 *       be found, and credited, later.</li>
 * </ul>
 */
public final class CardPrecisionAtK {

    private final int k;

    public CardPrecisionAtK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1: " + k);
        }
        this.k = k;
    }

    public int k() {
        return k;
    }

    /** CP@k on {@code test} after excluding the cards {@code known} says were known compromised each day. */
    public CardPrecision compute(List<ScoredTransaction> test, KnownCompromisedCards known) {
        return compute(known.exclude(test));
    }

    public CardPrecision compute(KnownCompromisedCards.Exclusion exclusion) {
        SortedMap<LocalDate, Map<String, CardDay>> byDay = new TreeMap<>();
        for (ScoredTransaction t : exclusion.kept()) {
            byDay.computeIfAbsent(TestWindow.dayOf(t.eventTime()), d -> new HashMap<>())
                    .computeIfAbsent(t.cardId(), CardDay::new)
                    .add(t);
        }
        Set<String> found = new HashSet<>();
        List<CardPrecision.Day> days = new ArrayList<>(byDay.size());
        double sum = 0.0;
        for (Map.Entry<LocalDate, Map<String, CardDay>> entry : byDay.entrySet()) {
            CardPrecision.Day day = rankDay(entry.getKey(), entry.getValue(), found,
                    exclusion.excludedCardsByDay().getOrDefault(entry.getKey(), 0));
            days.add(day);
            sum += day.precision();
        }
        return new CardPrecision(k, days, days.isEmpty() ? Double.NaN : sum / days.size());
    }

    private CardPrecision.Day rankDay(LocalDate date, Map<String, CardDay> cardsOfDay, Set<String> found,
                                      int knownExcluded) {
        List<CardDay> cards = new ArrayList<>(cardsOfDay.size());
        int removedAsFound = 0;
        int fraudulentCards = 0;
        for (CardDay card : cardsOfDay.values()) {
            if (found.contains(card.cardId)) {
                removedAsFound++;
            } else {
                cards.add(card);
                fraudulentCards += card.fraud ? 1 : 0;
            }
        }
        // Cards in one tie group are treated alike below, so their order within the group cannot matter.
        cards.sort(Comparator.comparingDouble((CardDay c) -> c.maxScore).reversed());

        double inTopK = 0.0;
        int placesLeft = k;
        List<String> foundToday = new ArrayList<>();
        CardPrecision.BoundaryTie tie = null;
        int start = 0;
        while (start < cards.size() && placesLeft > 0) {
            double score = cards.get(start).maxScore;
            int end = start;
            int frauds = 0;
            while (end < cards.size() && cards.get(end).maxScore == score) {
                frauds += cards.get(end).fraud ? 1 : 0;
                end++;
            }
            int groupSize = end - start;
            if (groupSize <= placesLeft) {
                inTopK += frauds;
                placesLeft -= groupSize;
            } else {
                inTopK += (double) frauds * placesLeft / groupSize;
                tie = new CardPrecision.BoundaryTie(score, groupSize, frauds, placesLeft);
                placesLeft = 0;
            }
            for (int i = start; i < end; i++) {
                if (cards.get(i).fraud) {
                    foundToday.add(cards.get(i).cardId);
                }
            }
            start = end;
        }
        found.addAll(foundToday);
        return new CardPrecision.Day(date, knownExcluded, removedAsFound, cards.size(), fraudulentCards, inTopK,
                inTopK / k, foundToday.size(), tie);
    }

    /** One card on one day: its highest score and whether any of its transactions was fraud. */
    private static final class CardDay {
        final String cardId;
        double maxScore = Double.NEGATIVE_INFINITY;
        boolean fraud;

        CardDay(String cardId) {
            this.cardId = cardId;
        }

        void add(ScoredTransaction t) {
            maxScore = Math.max(maxScore, t.score() + 0.0);
            fraud |= t.fraud();
        }
    }
}
