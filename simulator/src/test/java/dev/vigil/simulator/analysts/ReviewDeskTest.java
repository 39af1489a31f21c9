package dev.vigil.simulator.analysts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReviewDeskTest {

    private static final Instant DAY1 = Instant.parse("2026-02-01T00:00:00Z");
    private static final LocalDate D1 = LocalDate.parse("2026-02-01");
    private static final LocalDate D2 = LocalDate.parse("2026-02-02");
    private long nextOffset;

    private static ReviewPolicy policy(int k, ReviewClock clock) {
        return new ReviewPolicy(k, Duration.ofHours(1), Duration.ofMinutes(30), clock, 2);
    }

    private AlertTicket alert(String tx, String card, Instant time, double score) {
        return new AlertTicket(tx, card, time.toEpochMilli(), score, false, 0, nextOffset++);
    }

    private AlertTicket alert(String tx, String card, int hourOfDay1, double score) {
        return alert(tx, card, DAY1.plus(Duration.ofHours(hourOfDay1)), score);
    }

    private static List<String> transactions(List<Review> reviews) {
        return reviews.stream().map(r -> r.alert().transactionId()).toList();
    }

    @Test
    void reviewsTheTopKCardsOfTheDayByTheirHighestScoreAndEveryAlertOfThem() {
        ReviewDesk desk = new ReviewDesk(policy(2, ReviewClock.DAY_CLOSE));
        assertThat(desk.offer(alert("a1", "A", 1, 0.50))).isEmpty();
        desk.offer(alert("b1", "B", 2, 0.70));
        desk.offer(alert("c1", "C", 3, 0.95));
        desk.offer(alert("a2", "A", 4, 0.90)); // A's max is 0.90: A ranks above B
        desk.offer(alert("d1", "D", 5, 0.60));
        assertThat(desk.closeDueDays()).isEmpty(); // the day has not ended yet

        List<Review> reviews = desk.closeAllOpenDays();
        assertThat(transactions(reviews)).containsExactly("c1", "a1", "a2");
        assertThat(reviews).extracting(Review::rank).containsExactly(1, 2, 2);
        assertThat(reviews).extracting(Review::analystId).containsExactly("analyst-1", "analyst-2", "analyst-2");
        assertThat(reviews.get(1).cardMaxScore()).isEqualTo(0.90);
        assertThat(reviews).allSatisfy(r -> assertThat(r.day()).isEqualTo(D1));
        assertThat(desk.reviewedCards(D1)).isEqualTo(2);
        assertThat(desk.neverReviewed()).isEqualTo(2); // B and D
    }

    @Test
    void closesADayOnlyWhenTheWatermarkPassesItsEndPlusGrace() {
        ReviewDesk desk = new ReviewDesk(policy(5, ReviewClock.DAY_CLOSE));
        desk.offer(alert("a1", "A", 23, 0.9));
        desk.offer(alert("b1", "B", DAY1.plus(Duration.ofHours(24).plusMinutes(10)), 0.8)); // day 2, 00:10
        assertThat(desk.closeDueDays()).isEmpty(); // within the 30 min grace
        assertThat(desk.offer(alert("a0", "Z", 22, 0.1))).isEmpty(); // late but in grace: still counted on day 1
        desk.offer(alert("b2", "B", DAY1.plus(Duration.ofHours(24).plusMinutes(30)), 0.8)); // day 2, 00:30
        List<Review> reviews = desk.closeDueDays();
        assertThat(transactions(reviews)).containsExactly("a1", "a0");
        assertThat(desk.openDays()).containsExactly(D2);
    }

    @Test
    void stampsTheLabelAtTheDaysCloseOrAtTheAlertPlusTheReviewDelay() {
        ReviewDesk dayClose = new ReviewDesk(policy(5, ReviewClock.DAY_CLOSE));
        dayClose.offer(alert("a1", "A", 10, 0.9));
        assertThat(dayClose.closeAllOpenDays().get(0).labeledTime())
                .isEqualTo(Instant.parse("2026-02-02T01:00:00Z"));

        ReviewDesk alertTime = new ReviewDesk(policy(5, ReviewClock.ALERT_TIME));
        alertTime.offer(alert("a1", "A", 10, 0.9));
        assertThat(alertTime.closeAllOpenDays().get(0).labeledTime())
                .isEqualTo(Instant.parse("2026-02-01T11:00:00Z"));
    }

    @Test
    void putsTheScorersExplorationRequestsFirst() {
        ReviewDesk desk = new ReviewDesk(policy(1, ReviewClock.DAY_CLOSE));
        desk.offer(alert("a1", "A", 1, 0.99));
        desk.offer(new AlertTicket("x1", "X", DAY1.plusSeconds(7200).toEpochMilli(), 0.20, true, 0, nextOffset++));
        assertThat(transactions(desk.closeAllOpenDays())).containsExactly("x1");
    }

    @Test
    void breaksScoreTiesByCardIdSoTheChoiceIsDeterministic() {
        ReviewDesk desk = new ReviewDesk(policy(1, ReviewClock.DAY_CLOSE));
        desk.offer(alert("b1", "B", 1, 0.5));
        desk.offer(alert("a1", "A", 2, 0.5));
        assertThat(transactions(desk.closeAllOpenDays())).containsExactly("a1");
    }

    @Test
    void reviewsLateAlertsOfAReviewedCardFreeAndOthersOnlyWithinTheBudget() {
        ReviewDesk desk = new ReviewDesk(policy(2, ReviewClock.DAY_CLOSE));
        desk.offer(alert("a1", "A", 1, 0.9));
        desk.closeAllOpenDays(); // day 1: one card reviewed, one slot left
        desk.offer(alert("n1", "N", DAY1.plus(Duration.ofHours(30)), 0.1)); // watermark on day 2

        List<Review> a2 = desk.offer(alert("a2", "A", 5, 0.3));
        assertThat(transactions(a2)).containsExactly("a2");
        assertThat(a2.get(0).late()).isTrue();
        assertThat(a2.get(0).rank()).isEqualTo(1);
        assertThat(a2.get(0).labeledTime()).isEqualTo(DAY1.plus(Duration.ofHours(31))); // watermark + delay

        assertThat(transactions(desk.offer(alert("b1", "B", 6, 0.2)))).containsExactly("b1"); // the last slot
        assertThat(desk.offer(alert("c1", "C", 7, 0.99))).isEmpty(); // budget spent
        assertThat(desk.offer(alert("b1", "B", 6, 0.2))).isEmpty(); // already labeled
        assertThat(desk.reviewedCards(D1)).isEqualTo(2);
        assertThat(desk.neverReviewed()).isEqualTo(1);
        assertThat(desk.duplicates()).isEqualTo(1);
    }

    @Test
    void ignoresASecondAlertForTheSameTransaction() {
        ReviewDesk desk = new ReviewDesk(policy(5, ReviewClock.DAY_CLOSE));
        desk.offer(alert("a1", "A", 1, 0.9));
        desk.offer(alert("a1", "A", 1, 0.9));
        assertThat(desk.closeAllOpenDays()).hasSize(1);
        assertThat(desk.duplicates()).isEqualTo(1);
    }

    @Test
    void holdsTheConsumerOffsetAtTheOldestAlertStillWaiting() {
        ReviewDesk desk = new ReviewDesk(policy(5, ReviewClock.DAY_CLOSE));
        assertThat(desk.lowestHeldOffset(0)).isEmpty();
        desk.offer(new AlertTicket("a1", "A", DAY1.toEpochMilli(), 0.5, false, 0, 10));
        desk.offer(new AlertTicket("b1", "B", DAY1.toEpochMilli(), 0.5, false, 1, 3));
        desk.offer(new AlertTicket("c1", "C", DAY1.plus(Duration.ofHours(25)).toEpochMilli(), 0.5, false, 0, 11));
        assertThat(desk.lowestHeldOffset(0)).hasValue(10);
        assertThat(desk.lowestHeldOffset(1)).hasValue(3);
        desk.closeDueDays(); // day 1 closes (watermark day 2, 01:00 > 00:30)
        assertThat(desk.lowestHeldOffset(0)).hasValue(11);
        assertThat(desk.lowestHeldOffset(1)).isEmpty();
    }

    @Test
    void aRestoredDayKeepsItsSpentBudgetAndLabeledTransactions() {
        // Before the restart: k = 2, day 1 reviewed A (a1, a2) and C (c1).
        ReviewDesk desk = new ReviewDesk(policy(2, ReviewClock.DAY_CLOSE));
        desk.restore(D1, "A", "a1", 0.9);
        desk.restore(D1, "A", "a2", 0.9);
        desk.restore(D1, "C", "c1", 0.8);
        assertThat(desk.reviewedCards(D1)).isEqualTo(2);

        // Re-reading day 1's alerts after the restart reviews nothing twice and nothing beyond the budget.
        List<Review> again = new ArrayList<>();
        again.addAll(desk.offer(alert("a1", "A", 1, 0.9)));
        again.addAll(desk.offer(alert("a2", "A", 2, 0.4)));
        again.addAll(desk.offer(alert("b1", "B", 3, 0.7)));
        again.addAll(desk.offer(alert("c1", "C", 4, 0.8)));
        again.addAll(desk.closeAllOpenDays());
        assertThat(again).isEmpty();
        assertThat(desk.hasOpenDays()).isFalse();
        // A new alert of a reviewed card is still labeled, as before the restart.
        assertThat(transactions(desk.offer(alert("c2", "C", 5, 0.1)))).containsExactly("c2");
    }

    @Test
    void withNoBudgetNothingIsReviewed() {
        ReviewDesk desk = new ReviewDesk(policy(0, ReviewClock.DAY_CLOSE));
        desk.offer(alert("a1", "A", 1, 0.9));
        assertThat(desk.closeAllOpenDays()).isEmpty();
        assertThat(desk.neverReviewed()).isEqualTo(1);
    }

    @Test
    void spendsAtMostKCardsPerDayOverManyDays() {
        ReviewDesk desk = new ReviewDesk(policy(3, ReviewClock.DAY_CLOSE));
        List<Review> reviews = new ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 2_000; i++) {
            Instant time = DAY1.plusSeconds(i * 300L); // ~7 days
            reviews.addAll(desk.offer(alert("t" + i, "card" + random.nextInt(40), time, random.nextDouble())));
            reviews.addAll(desk.closeDueDays());
        }
        reviews.addAll(desk.closeAllOpenDays());
        Map<LocalDate, Long> cardsPerDay = reviews.stream().collect(Collectors.groupingBy(Review::day,
                Collectors.mapping(r -> r.alert().cardId(), Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
        assertThat(cardsPerDay).hasSize(7);
        assertThat(cardsPerDay.values()).allSatisfy(n -> assertThat(n).isEqualTo(3));
        assertThat(transactions(reviews)).doesNotHaveDuplicates();
    }
}
