package dev.vigil.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Reason;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.streams.ScoringDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every score carries the {@link DecisionPolicy}'s decision and the probability that it is put in front of an analyst
 * (1 for an alert, the explore probability for a review, 0 for a pass); {@code fraud.alerts} holds exactly the alerts
 * and reviews, with the same decision, probability and reasons.
 */
class DecisionsTest {

    @TempDir
    Path state;

    /** 40 payments of 7 cards and 5 merchants, of different amounts: scores spread by the model. */
    static final List<Transaction> PAYMENTS = payments(40);

    @Test
    void aScoreAtOrAboveTheAlertThresholdIsAnAlertReviewedWithProbabilityOne() throws Exception {
        DecisionPolicy alertEverything = new DecisionPolicy(1e-9, 0.0, 0.05, 0);
        Decided decided = score(state, alertEverything);

        assertThat(decided.scores()).hasSize(PAYMENTS.size()).allSatisfy(s -> {
            assertThat(s.getDecision()).isEqualTo(DecisionPolicy.ALERT);
            assertThat(s.getAlerted()).isTrue();
            assertThat(s.getReviewProbability()).isEqualTo(1.0);
            assertThat(s.getReasons()).as("an alert says why").isNotEmpty().hasSizeLessThanOrEqualTo(3);
        });
        assertThatAlertsArePublishedDecisions(decided);
    }

    @Test
    void explorationSendsItsShareOfTheUncertainBandToReviewWithTheExploreProbability() throws Exception {
        DecisionPolicy explore = new DecisionPolicy(1.0, 0.0, 0.3, 7);
        Decided decided = score(state.resolve("first"), explore);

        Map<String, Long> byDecision = decided.scores().stream()
                .collect(Collectors.groupingBy(FraudScore::getDecision, Collectors.counting()));
        assertThat(byDecision).containsOnlyKeys(DecisionPolicy.REVIEW, DecisionPolicy.PASS);
        assertThat(byDecision.get(DecisionPolicy.REVIEW)).as("about 0.3 of 40").isBetween(4L, 20L);
        assertThat(decided.scores()).allSatisfy(s -> {
            assertThat(s.getAlerted()).isFalse();
            assertThat(s.getReviewProbability())
                    .isEqualTo(s.getDecision().equals(DecisionPolicy.REVIEW) ? 0.3 : 0.0);
            assertThat(s.getDecision()).isEqualTo(explore.decide(s.getTransactionId(), s.getScore()).name());
        });
        assertThatAlertsArePublishedDecisions(decided);

        // the draw is the transaction id's, not a random number: scored again (after a crash, a replay), same decisions
        Decided again = score(state.resolve("again"), explore);
        assertThat(decisions(again)).isEqualTo(decisions(decided));
    }

    @Test
    void belowTheExploreFloorEverythingPassesWithReviewProbabilityZero() throws Exception {
        DecisionPolicy nothing = new DecisionPolicy(1.0, 1.0, 1.0, 0);
        Decided decided = score(state, nothing);

        assertThat(decided.scores()).hasSize(PAYMENTS.size()).allSatisfy(s -> {
            assertThat(s.getDecision()).isEqualTo(DecisionPolicy.PASS);
            assertThat(s.getAlerted()).isFalse();
            assertThat(s.getReviewProbability()).isZero();
            // a pass is explained only when its score is at or above explain-above (0.5 by default)
            assertThat(s.getReasons().isEmpty()).isEqualTo(s.getScore() < 0.5);
        });
        assertThat(decided.alerts()).isEmpty();
    }

    @Test
    void theDefaultPolicyDecidesEveryScore() throws Exception {
        DecisionPolicy policy = DecisionPolicy.defaults();
        Decided decided = score(state, policy);

        assertThat(decided.scores()).hasSize(PAYMENTS.size()).allSatisfy(s -> {
            DecisionPolicy.Decision expected = policy.decide(s.getTransactionId(), s.getScore());
            assertThat(s.getDecision()).isEqualTo(expected.name());
            assertThat(s.getReviewProbability()).isEqualTo(expected.reviewProbability());
            assertThat(s.getAlerted()).isEqualTo(expected.name().equals(DecisionPolicy.ALERT));
        });
        assertThatAlertsArePublishedDecisions(decided);
    }

    /** What a scorer with {@code policy} wrote for {@link #PAYMENTS}. */
    record Decided(List<FraudScore> scores, List<FraudAlert> alerts) {}

    private static Decided score(Path state, DecisionPolicy policy) throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(8, Duration.ofHours(1))
                .withScoring(new BatchScorer.Options(policy, 0.5, 3, true)))) {
            PAYMENTS.forEach(scorer::send);
            return new Decided(scorer.scores(), scorer.alerts());
        }
    }

    /** fraud.alerts holds one alert per alert or review, with the score's decision, probability, score and reasons. */
    private static void assertThatAlertsArePublishedDecisions(Decided decided) {
        Map<String, FraudScore> published = decided.scores().stream()
                .filter(s -> !s.getDecision().equals(DecisionPolicy.PASS))
                .collect(Collectors.toMap(FraudScore::getTransactionId, Function.identity()));
        assertThat(decided.alerts()).extracting(FraudAlert::getTransactionId)
                .containsExactlyInAnyOrderElementsOf(published.keySet());
        assertThat(decided.alerts()).allSatisfy(a -> {
            FraudScore s = published.get(a.getTransactionId());
            assertThat(a.getDecision()).isEqualTo(s.getDecision());
            assertThat(a.getReviewProbability()).isEqualTo(s.getReviewProbability());
            assertThat(a.getScore()).isEqualTo(s.getScore());
            assertThat(a.getAdapterVersion()).isEqualTo(s.getAdapterVersion());
            assertThat(a.getReasons()).extracting(r -> r.getFeature() + "=" + r.getContribution())
                    .containsExactlyElementsOf(s.getReasons().stream()
                            .map((Reason r) -> r.getFeature() + "=" + r.getContribution()).toList());
        });
    }

    private static Map<String, String> decisions(Decided decided) {
        return decided.scores().stream().collect(Collectors.toMap(FraudScore::getTransactionId,
                FraudScore::getDecision));
    }

    private static List<Transaction> payments(int n) {
        List<Transaction> payments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            payments.add(Transaction.newBuilder(ScoringDriver.payment("t" + i, "c-" + i % 7, 100 - i))
                    .setMerchantId("m-" + i % 5).setAmountMinor(100 + i * 997L).build());
        }
        return List.copyOf(payments);
    }
}
