package dev.vigil.evaluation;

import static dev.vigil.evaluation.TestTransactions.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CardPrecisionAtKTest {

    private static final double EXACT = 1e-15;
    private static final String DAY1 = "2026-01-10T";
    private static final String DAY2 = "2026-01-11T";

    @Test
    void countsFraudulentCardsAmongTheTopKOverK() {
        // k = 2: A 0.9 fraud, B 0.8 genuine | C 0.7 fraud is third. CP = 1 / 2.
        CardPrecision cp = new CardPrecisionAtK(2).compute(List.of(
                tx("A", DAY1 + "10:00:00Z", true, 0.9),
                tx("B", DAY1 + "11:00:00Z", false, 0.8),
                tx("C", DAY1 + "12:00:00Z", true, 0.7)), KnownCompromisedCards.none());

        CardPrecision.Day day = cp.days().get(0);
        assertThat(day.day()).isEqualTo(LocalDate.parse("2026-01-10"));
        assertThat(day.cardsRanked()).isEqualTo(3);
        assertThat(day.fraudulentCards()).isEqualTo(2);
        assertThat(day.fraudulentCardsInTopK()).isEqualTo(1.0);
        assertThat(day.precision()).isEqualTo(0.5);
        assertThat(day.cardsFound()).isEqualTo(1);
        assertThat(day.boundaryTie()).isNull();
        assertThat(day.bestPossible(2)).isEqualTo(1.0); // 2 fraudulent cards could fill both places
        assertThat(cp.mean()).isEqualTo(0.5);
    }

    @Test
    void ranksCardsByTheirHighestScoreAndCallsThemFraudulentIfAnyTransactionIs() {
        // Card A: a 0.2 fraud and a 0.95 genuine transaction -> ranked at 0.95, fraudulent that day.
        // Card B: 0.9 genuine. k = 1: the top card is A -> CP = 1.
        // (Ranking transactions instead would put A's genuine 0.95 first and give 0.)
        CardPrecision cp = new CardPrecisionAtK(1).compute(List.of(
                tx("A", DAY1 + "08:00:00Z", true, 0.2),
                tx("A", DAY1 + "09:00:00Z", false, 0.95),
                tx("B", DAY1 + "10:00:00Z", false, 0.9)), KnownCompromisedCards.none());

        assertThat(cp.days().get(0).cardsRanked()).isEqualTo(2);
        assertThat(cp.days().get(0).precision()).isEqualTo(1.0);
    }

    @Test
    void aTieAtPlaceKAddsItsExpectedFraudShareAndAllItsFraudulentCardsCountAsFound() {
        // k = 2. Day 1: A 0.9 fraud | B 0.5 fraud, C 0.5 fraud, D 0.5 genuine | E 0.1 fraud.
        //   A takes place 1; the 0.5 tie (3 cards, 2 fraudulent) straddles place 2 with 1 place left:
        //   expected fraudulent cards = 1 + 2 * 1/3 = 5/3; CP = (5/3) / 2 = 5/6.
        //   Found: A, and both fraudulent cards of the tie (B, C) -> removed from day 2.
        // Day 2: B 0.9 fraud, C 0.8 fraud (both removed) | E 0.7 fraud, F 0.2 genuine.
        //   Ranked: E, F -> 1 fraudulent of k = 2 -> CP = 1/2.
        // Mean = (5/6 + 1/2) / 2 = 2/3.
        CardPrecision cp = new CardPrecisionAtK(2).compute(List.of(
                tx("A", DAY1 + "01:00:00Z", true, 0.9),
                tx("B", DAY1 + "02:00:00Z", true, 0.5),
                tx("C", DAY1 + "03:00:00Z", true, 0.5),
                tx("D", DAY1 + "04:00:00Z", false, 0.5),
                tx("E", DAY1 + "05:00:00Z", true, 0.1),
                tx("B", DAY2 + "01:00:00Z", true, 0.9),
                tx("C", DAY2 + "02:00:00Z", true, 0.8),
                tx("E", DAY2 + "03:00:00Z", true, 0.7),
                tx("F", DAY2 + "04:00:00Z", false, 0.2)), KnownCompromisedCards.none());

        CardPrecision.Day day1 = cp.days().get(0);
        assertThat(day1.fraudulentCardsInTopK()).isCloseTo(5.0 / 3.0, within(EXACT));
        assertThat(day1.precision()).isCloseTo(5.0 / 6.0, within(EXACT));
        assertThat(day1.boundaryTie()).isEqualTo(new CardPrecision.BoundaryTie(0.5, 3, 2, 1));
        assertThat(day1.cardsFound()).isEqualTo(3);

        CardPrecision.Day day2 = cp.days().get(1);
        assertThat(day2.cardsRemovedAsFoundEarlier()).isEqualTo(2);
        assertThat(day2.cardsRanked()).isEqualTo(2);
        assertThat(day2.fraudulentCards()).isEqualTo(1);
        assertThat(day2.precision()).isEqualTo(0.5);
        assertThat(cp.mean()).isCloseTo(2.0 / 3.0, within(EXACT));
    }

    @Test
    void aTieThatEndsExactlyAtPlaceKIsNoBoundaryTie() {
        // k = 3: A 0.9 genuine | B 0.8 fraud, C 0.8 genuine fill places 2 and 3 | D 0.1 fraud out. CP = 1/3.
        CardPrecision.Day day = new CardPrecisionAtK(3).compute(List.of(
                tx("A", DAY1 + "01:00:00Z", false, 0.9),
                tx("B", DAY1 + "02:00:00Z", true, 0.8),
                tx("C", DAY1 + "03:00:00Z", false, 0.8),
                tx("D", DAY1 + "04:00:00Z", true, 0.1)), KnownCompromisedCards.none()).days().get(0);
        assertThat(day.precision()).isCloseTo(1.0 / 3.0, within(EXACT));
        assertThat(day.boundaryTie()).isNull();
        assertThat(day.cardsFound()).isEqualTo(1);
    }

    @Test
    void aBoundaryTieWithoutFraudAddsNothingAndFindsNothing() {
        // k = 1: A 0.5 genuine, B 0.5 genuine tie for the single place | C 0.4 fraud out. CP = 0 * 1/2 = 0.
        CardPrecision.Day day = new CardPrecisionAtK(1).compute(List.of(
                tx("A", DAY1 + "01:00:00Z", false, 0.5),
                tx("B", DAY1 + "02:00:00Z", false, 0.5),
                tx("C", DAY1 + "03:00:00Z", true, 0.4)), KnownCompromisedCards.none()).days().get(0);
        assertThat(day.precision()).isEqualTo(0.0);
        assertThat(day.cardsFound()).isZero();
        assertThat(day.boundaryTie()).isEqualTo(new CardPrecision.BoundaryTie(0.5, 2, 0, 1));
    }

    @Test
    void aDayWithFewerThanKCardsStillDividesByK() {
        // k = 5, two cards, one fraudulent: CP = 1/5 (the Handbook divides by k, not by the cards there were).
        CardPrecision.Day day = new CardPrecisionAtK(5).compute(List.of(
                tx("X", DAY1 + "01:00:00Z", true, 0.3),
                tx("Y", DAY1 + "02:00:00Z", false, 0.2)), KnownCompromisedCards.none()).days().get(0);
        assertThat(day.precision()).isEqualTo(0.2);
        assertThat(day.bestPossible(5)).isEqualTo(0.2);
        assertThat(day.boundaryTie()).isNull();
    }

    @Test
    void cardsFoundOnADayAreRemovedFromTheLaterDays() {
        // k = 1. Day 1: A 0.9 fraud, B 0.5 fraud -> top A -> CP 1; A found.
        // Day 2: A 0.99 fraud (removed: already found), C 0.7 genuine, B 0.6 fraud -> top C -> CP 0.
        // (Without the removal A would top day 2 again and score 1.) Mean = 1/2.
        CardPrecision cp = new CardPrecisionAtK(1).compute(List.of(
                tx("A", DAY1 + "01:00:00Z", true, 0.9),
                tx("B", DAY1 + "02:00:00Z", true, 0.5),
                tx("A", DAY2 + "01:00:00Z", true, 0.99),
                tx("C", DAY2 + "02:00:00Z", false, 0.7),
                tx("B", DAY2 + "03:00:00Z", true, 0.6)), KnownCompromisedCards.none());
        assertThat(cp.days()).extracting(CardPrecision.Day::precision).containsExactly(1.0, 0.0);
        assertThat(cp.days().get(1).cardsRemovedAsFoundEarlier()).isEqualTo(1);
        assertThat(cp.days().get(1).fraudulentCards()).isEqualTo(1);
        assertThat(cp.mean()).isEqualTo(0.5);
    }

    @Test
    void aDayWhoseCardsWereAllFoundEarlierScoresZero() {
        // Day 2 has only card A, found on day 1: nothing to rank, CP = 0 / k.
        CardPrecision cp = new CardPrecisionAtK(1).compute(List.of(
                tx("A", DAY1 + "01:00:00Z", true, 0.9),
                tx("A", DAY2 + "01:00:00Z", true, 0.9)), KnownCompromisedCards.none());
        assertThat(cp.days()).hasSize(2);
        assertThat(cp.days().get(1).cardsRanked()).isZero();
        assertThat(cp.days().get(1).precision()).isZero();
        assertThat(cp.mean()).isEqualTo(0.5);
    }

    @Test
    void excludesCardsWhoseFraudWasKnownBeforeTheDayMinusTheLabelDelay() {
        // History from 2026-01-01, label delay 7 days, k = 2.
        // X: fraud 2026-01-01T10:00. Y: fraud 2026-01-02T00:00 exactly. W: fraud 2025-12-31 (before the history).
        // Day 2026-01-09: cutoff = 01-09T00:00 - 7 days = 01-02T00:00 (exclusive).
        //   X (01-01 10:00 < cutoff) is known -> excluded. Y (= cutoff) is not yet. W is outside the history.
        //   Ranked: Y 0.9 fraud, W 0.8 fraud | Z 0.1 genuine -> CP = 2/2 = 1; Y and W found.
        // Day 2026-01-10: cutoff 01-03T00:00 -> Y is now known -> excluded (counted as known, not as found).
        //   Ranked: V 0.4 genuine, U 0.3 fraud -> CP = 1/2.
        KnownCompromisedCards known = new KnownCompromisedCards(Instant.parse("2026-01-01T00:00:00Z"),
                Duration.ofDays(7));
        known.recordFraud("X", Instant.parse("2026-01-01T10:00:00Z"));
        known.recordFraud("Y", Instant.parse("2026-01-02T00:00:00Z"));
        known.recordFraud("W", Instant.parse("2025-12-31T23:00:00Z"));

        CardPrecision cp = new CardPrecisionAtK(2).compute(List.of(
                tx("X", "2026-01-09T01:00:00Z", true, 0.95),
                tx("Y", "2026-01-09T02:00:00Z", true, 0.9),
                tx("W", "2026-01-09T03:00:00Z", true, 0.8),
                tx("Z", "2026-01-09T04:00:00Z", false, 0.1),
                tx("Y", "2026-01-10T01:00:00Z", true, 0.9),
                tx("V", "2026-01-10T02:00:00Z", false, 0.4),
                tx("U", "2026-01-10T03:00:00Z", true, 0.3)), known);

        CardPrecision.Day day1 = cp.days().get(0);
        assertThat(day1.knownCompromisedCardsExcluded()).isEqualTo(1);
        assertThat(day1.cardsRanked()).isEqualTo(3);
        assertThat(day1.precision()).isEqualTo(1.0);
        CardPrecision.Day day2 = cp.days().get(1);
        assertThat(day2.knownCompromisedCardsExcluded()).isEqualTo(1);
        assertThat(day2.cardsRemovedAsFoundEarlier()).isZero();
        assertThat(day2.cardsRanked()).isEqualTo(2);
        assertThat(day2.precision()).isEqualTo(0.5);
        assertThat(cp.mean()).isEqualTo(0.75);
    }

    @Test
    void aDayWithEveryTransactionOnKnownCompromisedCardsIsNoTestDay() {
        // As in the Handbook, the test days are the days that keep a transaction after the exclusion.
        KnownCompromisedCards known = new KnownCompromisedCards(null, Duration.ofDays(7));
        known.recordFraud("X", Instant.parse("2026-01-01T10:00:00Z"));
        CardPrecision cp = new CardPrecisionAtK(1).compute(List.of(
                tx("X", "2026-01-09T01:00:00Z", true, 0.9),
                tx("A", "2026-01-10T01:00:00Z", true, 0.9)), known);
        assertThat(cp.days()).extracting(CardPrecision.Day::day).containsExactly(LocalDate.parse("2026-01-10"));
        assertThat(cp.mean()).isEqualTo(1.0);
    }

    @Test
    void noTestDayGivesNaN() {
        CardPrecision cp = new CardPrecisionAtK(100).compute(List.of(), KnownCompromisedCards.none());
        assertThat(cp.days()).isEmpty();
        assertThat(cp.mean()).isNaN();
    }

    @Test
    void kMustBePositive() {
        assertThatThrownBy(() -> new CardPrecisionAtK(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be at least 1");
    }

    @Test
    void theTieRuleIsTheMeanOverEveryOrderOfTheTiedCards() {
        // Independent check of the expected value: enumerate every permutation of a day's cards, sort each stably
        // by score (so the permutation is the tie-break), count the fraudulent cards in the top k, and average.
        Random random = new Random(42L);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(7);
            int k = 1 + random.nextInt(6);
            double[] scores = new double[n];
            boolean[] fraud = new boolean[n];
            List<ScoredTransaction> day = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(3) / 2.0; // 0, 0.5 or 1: heavy ties
                fraud[i] = random.nextBoolean();
                day.add(tx("c" + i, DAY1 + "10:00:00Z", fraud[i], scores[i]));
            }
            double[] sum = {0};
            long[] orders = {0};
            permute(new int[n], new boolean[n], 0, order -> {
                Integer[] ranked = new Integer[n];
                for (int i = 0; i < n; i++) {
                    ranked[i] = order[i];
                }
                java.util.Arrays.sort(ranked, Comparator.comparingDouble((Integer c) -> -scores[c]));
                int hits = 0;
                for (int i = 0; i < Math.min(k, n); i++) {
                    hits += fraud[ranked[i]] ? 1 : 0;
                }
                sum[0] += hits;
                orders[0]++;
            });
            double expected = sum[0] / orders[0] / k;
            double actual = new CardPrecisionAtK(k).compute(day, KnownCompromisedCards.none()).mean();
            assertThat(actual).as("round %d", round).isCloseTo(expected, within(1e-12));
        }
    }

    private static void permute(int[] order, boolean[] used, int at, java.util.function.Consumer<int[]> visit) {
        if (at == order.length) {
            visit.accept(order);
            return;
        }
        for (int c = 0; c < order.length; c++) {
            if (!used[c]) {
                used[c] = true;
                order[at] = c;
                permute(order, used, at + 1, visit);
                used[c] = false;
            }
        }
    }

    @Test
    void agreesWithALiteralTranslationOfTheHandbookCodeOnRandomDataWithoutTies() {
        // The Handbook's get_train_test_set + card_precision_top_k, transcribed with day indices (not instants):
        // train days [0, 7), delay 7, test days 14..20; on test day 14 + i the frauds of days [0, 7 + i - 1] are
        // known. Scores are distinct, so pandas' tie order cannot matter.
        Random random = new Random(2021L);
        LocalDate start = LocalDate.parse("2026-01-01");
        long excludedCards = 0;
        long removedCards = 0;
        long fraudInTopK = 0;
        for (int round = 0; round < 50; round++) {
            int k = 1 + random.nextInt(5);
            List<ScoredTransaction> all = new ArrayList<>();
            for (int day = 0; day < 21; day++) {
                int transactions = random.nextInt(20);
                for (int t = 0; t < transactions; t++) {
                    all.add(tx("card" + random.nextInt(40), start.plusDays(day) + "T" + String.format("%02d", t)
                            + ":00:00Z", random.nextDouble() < 0.08, random.nextDouble()));
                }
            }
            KnownCompromisedCards known = KnownCompromisedCards.of(TestWindow.startOf(start), Duration.ofDays(7), all);
            List<ScoredTransaction> test = all.stream()
                    .filter(t -> !TestWindow.dayOf(t.eventTime()).isBefore(start.plusDays(14))).toList();
            CardPrecision actual = new CardPrecisionAtK(k).compute(test, known);

            List<Double> expected = handbook(all, start, k);
            assertThat(actual.days()).extracting(CardPrecision.Day::precision)
                    .as("round %d", round).containsExactlyElementsOf(expected);
            for (CardPrecision.Day d : actual.days()) {
                excludedCards += d.knownCompromisedCardsExcluded();
                removedCards += d.cardsRemovedAsFoundEarlier();
                fraudInTopK += (long) d.fraudulentCardsInTopK();
            }
        }
        // The random data must exercise both exclusions and find fraud, or the agreement proves little.
        assertThat(excludedCards).isGreaterThan(50);
        assertThat(removedCards).isGreaterThan(20);
        assertThat(fraudInTopK).isGreaterThan(50);
    }

    private static List<Double> handbook(List<ScoredTransaction> all, LocalDate start, int k) {
        Map<Integer, List<ScoredTransaction>> byDay = new HashMap<>();
        for (ScoredTransaction t : all) {
            byDay.computeIfAbsent((int) (TestWindow.dayOf(t.eventTime()).toEpochDay() - start.toEpochDay()),
                    d -> new ArrayList<>()).add(t);
        }
        Set<String> knownDefrauded = new HashSet<>();
        for (int d = 0; d < 7; d++) {
            byDay.getOrDefault(d, List.of()).stream().filter(ScoredTransaction::fraud)
                    .forEach(t -> knownDefrauded.add(t.cardId()));
        }
        // get_train_test_set: the test set with known-compromised cards removed, day by day
        List<List<ScoredTransaction>> testDays = new ArrayList<>();
        for (int day = 0; day < 7; day++) {
            byDay.getOrDefault(7 + day - 1, List.of()).stream().filter(ScoredTransaction::fraud)
                    .forEach(t -> knownDefrauded.add(t.cardId()));
            testDays.add(byDay.getOrDefault(14 + day, List.of()).stream()
                    .filter(t -> !knownDefrauded.contains(t.cardId())).toList());
        }
        // card_precision_top_k over the days that have test transactions
        List<Double> precisions = new ArrayList<>();
        Set<String> detected = new HashSet<>();
        for (List<ScoredTransaction> day : testDays) {
            if (day.isEmpty()) {
                continue;
            }
            Map<String, double[]> perCard = new HashMap<>(); // {max prediction, max TX_FRAUD}
            for (ScoredTransaction t : day) {
                if (detected.contains(t.cardId())) {
                    continue;
                }
                double[] m = perCard.computeIfAbsent(t.cardId(), c -> new double[] {Double.NEGATIVE_INFINITY, 0});
                m[0] = Math.max(m[0], t.score());
                m[1] = Math.max(m[1], t.fraud() ? 1 : 0);
            }
            List<Map.Entry<String, double[]>> ranked = new ArrayList<>(perCard.entrySet());
            ranked.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
            List<String> found = ranked.subList(0, Math.min(k, ranked.size())).stream()
                    .filter(e -> e.getValue()[1] == 1).map(Map.Entry::getKey).toList();
            precisions.add((double) found.size() / k);
            detected.addAll(found);
        }
        return precisions;
    }
}
