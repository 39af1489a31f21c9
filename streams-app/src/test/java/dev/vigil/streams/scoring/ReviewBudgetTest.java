package dev.vigil.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.streams.scoring.DecisionPolicy.Decision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ReviewBudget} on synthetic streams whose answer is known: scores with logits uniform in [-12, -1], so the score
 * quantile a budget needs can be computed exactly.
 */
class ReviewBudgetTest {

    static final long DAY = ReviewBudget.DAY_MILLIS;
    static final long T0 = 1_767_225_600_000L; // 2026-01-01

    /** What one day of a stream got; {@code cards}: distinct cards sent by risk (alerts and reviews). */
    record DayCount(int reviewed, int explored, int alerted, double exploreProbability, double threshold, int cards) {}

    @Test
    void eachDayTheBandAndTheExplorationSpendTheBudgetTheyWereGiven() {
        DecisionPolicy policy = new DecisionPolicy(0.5, 100, 0.05, 3);
        ReviewBudget budget = new ReviewBudget(policy, 1);
        List<DayCount> days = run(budget, 8, 10_000, new SplittableRandom(1));

        for (DayCount d : days.subList(2, days.size())) { // the first day warms up (and the estimate is young)
            // a binomial count around 95 * 1.25 (the queue's slack) = 119: 3 standard deviations either way
            assertThat(d.reviewed() + d.alerted()).as("95 of the 100 cards a day, and a quarter more")
                    .isBetween(86, 152);
            assertThat(d.explored()).as("5 of the 100, drawn").isBetween(0, 14);
            assertThat(d.exploreProbability()).as("5 / 10,000 payments").isCloseTo(5e-4, within(0.6e-4));
            // the quantile above which 119 of 10,000 logits uniform in [-12, -1] fall
            assertThat(logit(d.threshold())).isCloseTo(-1 - 11 * 0.0095 * ReviewBudget.QUEUE_SLACK, within(0.15));
        }
        int explored = days.subList(2, days.size()).stream().mapToInt(DayCount::explored).sum();
        assertThat(explored).as("5 a day over 6 days").isBetween(15, 48);
    }

    @Test
    void aTaskTakesItsPartitionsShareOfTheBudget() {
        DecisionPolicy policy = new DecisionPolicy(0.5, 100, 0.05, 3);
        ReviewBudget quarter = new ReviewBudget(policy, 4);
        List<DayCount> days = run(quarter, 5, 2_500, new SplittableRandom(2)); // a quarter of the payments, too

        for (DayCount d : days.subList(2, days.size())) {
            assertThat(d.reviewed() + d.alerted()).as("119 / 4 cards a day").isBetween(13, 46);
            assertThat(d.exploreProbability()).as("1.25 of 2,500").isCloseTo(5e-4, within(0.6e-4));
        }
    }

    @Test
    void whenTheVolumeDoublesTheBandFollowsWithinADay() {
        DecisionPolicy policy = new DecisionPolicy(0.5, 100, 0.05, 3);
        ReviewBudget budget = new ReviewBudget(policy, 1);
        SplittableRandom random = new SplittableRandom(3);
        run(budget, 4, 10_000, random);
        List<DayCount> after = run(budget, 5, 20_000, random, T0 + 4 * DAY);

        // expected 119 * 2 ln 2 = 165 the first day (the window still holds part of the slower day), then 119
        assertThat(after.get(0).reviewed()).as("the first day at twice the volume over-spends").isGreaterThan(140);
        for (DayCount d : after.subList(2, after.size())) {
            assertThat(d.reviewed() + d.alerted()).isBetween(86, 152);
            assertThat(d.exploreProbability()).isCloseTo(2.5e-4, within(0.4e-4));
        }
    }

    @Test
    void alertsAreAlwaysReviewedAndTheBandNeverRisesAboveTheAlertThreshold() {
        // a stream where 2% of the payments score at or above 0.5: more alerts than the budget
        DecisionPolicy policy = new DecisionPolicy(0.5, 100, 0.05, 3);
        ReviewBudget budget = new ReviewBudget(policy, 1);
        SplittableRandom random = new SplittableRandom(4);
        int alerts = 0;
        int sentAlerts = 0;
        for (int batch = 0; batch < 300; batch++) {
            List<String> ids = new ArrayList<>();
            long[] times = new long[100];
            float[] scores = new float[100];
            for (int i = 0; i < 100; i++) {
                ids.add("t" + batch + "-" + i);
                times[i] = T0 + (batch * 100L + i) * (3 * DAY / 30_000);
                scores[i] = random.nextDouble() < 0.02 ? 0.9f : (float) sigmoid(random.nextDouble(-12, -2));
            }
            Decision[] d = budget.decide(ids, ids, times, scores);
            for (int i = 0; i < 100; i++) {
                if (scores[i] >= 0.5) {
                    alerts++;
                    sentAlerts += d[i].name().equals(DecisionPolicy.ALERT) && d[i].reviewProbability() == 1.0 ? 1 : 0;
                }
            }
            assertThat(budget.reviewThreshold()).isLessThanOrEqualTo(0.5);
        }
        assertThat(sentAlerts).isEqualTo(alerts);
    }

    @Test
    void restoredFromItsBytesABudgetDecidesExactlyAsTheOneItWasSavedFrom() {
        DecisionPolicy policy = new DecisionPolicy(0.5, 100, 0.05, 3);
        ReviewBudget original = new ReviewBudget(policy, 2);
        run(original, 2, 10_000, new SplittableRandom(5));
        ReviewBudget restored = ReviewBudget.restore(policy, 2, original.toBytes());

        assertThat(restored.reviewThreshold()).isEqualTo(original.reviewThreshold());
        assertThat(restored.exploreProbability()).isEqualTo(original.exploreProbability());
        List<DayCount> a = run(original, 1, 10_000, new SplittableRandom(6), T0 + 2 * DAY);
        List<DayCount> b = run(restored, 1, 10_000, new SplittableRandom(6), T0 + 2 * DAY);
        assertThat(b).isEqualTo(a);
        assertThat(restored.toBytes()).isEqualTo(original.toBytes());
    }

    @Test
    void aColdOrUnreadableBudgetAlertsOnlyUntilItHasSeenAnHour() {
        DecisionPolicy policy = new DecisionPolicy(0.5, 100, 0.05, 3);
        ReviewBudget cold = ReviewBudget.restore(policy, 1, new byte[] {1, 2, 3});
        assertThat(cold.reviewThreshold()).isEqualTo(0.5);
        assertThat(cold.exploreProbability()).isZero();

        // 200 payments within ten minutes: not warm yet
        List<String> ids = new ArrayList<>();
        long[] times = new long[200];
        float[] scores = new float[200];
        for (int i = 0; i < 200; i++) {
            ids.add("w" + i);
            times[i] = T0 + i * 3_000L;
            scores[i] = 0.3f;
        }
        assertThat(cold.decide(ids, ids, times, scores)).allSatisfy(d -> assertThat(d.name()).isEqualTo(DecisionPolicy.PASS));
        assertThat(cold.reviewThreshold()).isEqualTo(0.5);
        assertThat(Double.isNaN(cold.paymentsPerDay())).isTrue();
    }

    @Test
    void noBudgetMeansAlertsOnly() {
        ReviewBudget none = new ReviewBudget(DecisionPolicy.alertsOnly(0.5), 1);
        List<DayCount> days = run(none, 3, 5_000, new SplittableRandom(7));
        assertThat(days).allSatisfy(d -> {
            assertThat(d.reviewed()).isZero();
            assertThat(d.explored()).isZero();
        });
    }

    @Test
    void theBandCountsCardsNotPaymentsWhenARiskyCardPaysSeveralTimesADay() {
        DecisionPolicy policy = new DecisionPolicy(0.5, 100, 0.05, 3);
        ReviewBudget budget = new ReviewBudget(policy, 1);
        List<DayCount> days = run(budget, 5, 9_999, new SplittableRandom(8), T0, 3);

        assertThat(days.get(0).reviewed()).as("the first day's payments: 119 cards' worth of payments, not 3 times that")
                .isLessThan(165);
        for (DayCount d : days.subList(2, days.size())) {
            assertThat(d.cards()).as("119 cards, each paying 3 times").isBetween(86, 152);
            assertThat(d.reviewed()).as("their 3 payments each").isBetween(3 * 86, 3 * 152);
        }
        assertThat(budget.paymentsPerCard()).isCloseTo(3.0, within(0.2));
        ReviewBudget restored = ReviewBudget.restore(policy, 1, budget.toBytes());
        assertThat(restored.paymentsPerCard()).isEqualTo(budget.paymentsPerCard());
        assertThat(restored.reviewThreshold()).isEqualTo(budget.reviewThreshold());
    }

    private static List<DayCount> run(ReviewBudget budget, int days, int perDay, SplittableRandom random) {
        return run(budget, days, perDay, random, T0);
    }

    private static List<DayCount> run(ReviewBudget budget, int days, int perDay, SplittableRandom random, long start) {
        return run(budget, days, perDay, random, start, 1);
    }

    /**
     * {@code days} days of {@code perDay} payments each, logits uniform in [-12, -1], in batches of 50; each card pays
     * {@code perCard} times in a row with the same score.
     */
    private static List<DayCount> run(ReviewBudget budget, int days, int perDay, SplittableRandom random, long start,
            int perCard) {
        List<DayCount> out = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            int reviewed = 0;
            int explored = 0;
            int alerted = 0;
            double[] probabilities = new double[perDay];
            int explorations = 0;
            java.util.Set<String> cardsSent = new java.util.HashSet<>();
            float score = 0;
            for (int from = 0; from < perDay; from += 50) {
                int n = Math.min(50, perDay - from);
                List<String> ids = new ArrayList<>(n);
                List<String> cards = new ArrayList<>(n);
                long[] times = new long[n];
                float[] scores = new float[n];
                for (int i = 0; i < n; i++) {
                    ids.add("d" + (start / DAY + day) + "-" + (from + i));
                    cards.add("d" + (start / DAY + day) + "-c" + (from + i) / perCard);
                    times[i] = start + day * DAY + (from + i) * (DAY / perDay);
                    if ((from + i) % perCard == 0) {
                        score = (float) sigmoid(random.nextDouble(-12, -1));
                    }
                    scores[i] = score;
                }
                Decision[] decided = budget.decide(ids, cards, times, scores);
                for (int i = 0; i < n; i++) {
                    Decision d = decided[i];
                    if (DecisionPolicy.REVIEW.equals(d.name()) || DecisionPolicy.ALERT.equals(d.name())) {
                        cardsSent.add(cards.get(i));
                    }
                    switch (d.name()) {
                        case DecisionPolicy.REVIEW -> reviewed++;
                        case DecisionPolicy.ALERT -> alerted++;
                        case DecisionPolicy.EXPLORE -> explored++;
                        default -> { }
                    }
                }
                probabilities[explorations++] = budget.exploreProbability();
            }
            out.add(new DayCount(reviewed, explored, alerted,
                    Arrays.stream(probabilities, 0, explorations).sorted().toArray()[explorations / 2],
                    budget.reviewThreshold(), cardsSent.size()));
        }
        return out;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
