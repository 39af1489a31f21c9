package dev.vigil.console.queue;

import static dev.vigil.console.queue.Records.alert;
import static dev.vigil.console.queue.Records.label;
import static dev.vigil.console.queue.Records.score;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReviewQueueTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-24T12:00:05Z"), ZoneOffset.UTC);

    private ReviewQueue queue() {
        return new ReviewQueue(new ReviewQueue.Limits(2, 100, 100, 3, 100, 100, 100), clock);
    }

    @Test
    void todaysCardsAreRankedByTheirHighestScoreOnce() {
        ReviewQueue q = queue();
        q.onAlert(alert("t1", "card-0001", "m1", "2026-01-24T10:00:00Z", 0.60));
        q.onAlert(alert("t2", "card-0002", "m1", "2026-01-24T10:05:00Z", 0.90));
        q.onAlert(alert("t3", "card-0001", "m2", "2026-01-24T11:00:00Z", 0.95));
        q.onAlert(alert("t0", "card-0009", "m2", "2026-01-23T23:00:00Z", 0.99)); // yesterday
        ReviewQueue.View view = q.queue(10);
        assertThat(view.day()).isEqualTo(LocalDate.parse("2026-01-24"));
        assertThat(view.total()).isEqualTo(2);
        assertThat(view.cards()).extracting(Payment::transactionId).containsExactly("t3", "t2");
        assertThat(view.cards().get(0).reasons()).containsExactly("amount_vs_card_mean (+0.210)",
                "merchant_fraud_rate (+0.120)", "night (+0.050)");
        assertThat(q.queue(1).cards()).hasSize(1);
        assertThat(q.queue(1).total()).isEqualTo(2);
    }

    @Test
    void aLabeledCardLeavesTheQueueAndAnUnsureOneStays() {
        ReviewQueue q = queue();
        q.onAlert(alert("t1", "card-0001", "m1", "2026-01-24T10:00:00Z", 0.60));
        q.onAlert(alert("t2", "card-0002", "m1", "2026-01-24T10:05:00Z", 0.90));
        q.addLabel(new LabelEntry("t2", "card-0002", "unsure", "alice", Instant.now(), null, "ANALYST", null));
        assertThat(q.queue(10).total()).isEqualTo(2);
        q.onLabel(label("t2", "card-0002", false, "2026-01-24T12:00:00Z", "2026-01-24T10:05:00Z"));
        assertThat(q.queue(10).cards()).extracting(Payment::transactionId).containsExactly("t1");
        // a label without the transaction time: the day comes from the payment the console read
        q.onLabel(label("t1", "card-0001", true, "2026-01-24T12:00:00Z", null));
        assertThat(q.queue(10).total()).isZero();
        assertThat(q.labels("t2")).extracting(LabelEntry::verdict).containsExactly("unsure", "genuine");
    }

    @Test
    void anIssuersLabelNamingTheCardInClearStillTakesTheTokenizedCardOutOfTheQueue() {
        ReviewQueue q = queue();
        String token = "tok_k1_" + "x".repeat(43);
        q.onAlert(alert("t1", token, "m1", "2026-01-24T10:00:00Z", 0.60));
        q.onAlert(alert("t2", "tok_k1_" + "y".repeat(43), "m1", "2026-01-24T10:05:00Z", 0.90));
        q.onLabel(label("t1", "4111111111111111", true, "2026-01-24T12:00:00Z", "2026-01-24T10:00:00Z"));
        assertThat(q.queue(10).cards()).extracting(Payment::transactionId).containsExactly("t2");
    }

    @Test
    void theLaterLabelWins() {
        ReviewQueue q = queue();
        q.onScore(score("t1", "card-0001", "m1", "2026-01-24T10:00:00Z", 0.7));
        q.onLabel(label("t1", "card-0001", true, "2026-01-24T12:00:00Z", "2026-01-24T10:00:00Z"));
        q.onLabel(label("t1", "card-0001", false, "2026-01-24T11:00:00Z", "2026-01-24T10:00:00Z"));
        assertThat(q.latestLabel("t1")).map(LabelEntry::verdict).contains("fraud");
        q.onLabel(label("t1", "card-0001", false, "2026-01-24T13:00:00Z", "2026-01-24T10:00:00Z"));
        assertThat(q.latestLabel("t1")).map(LabelEntry::verdict).contains("genuine");
    }

    @Test
    void memoryIsBoundedByDaysAndPaymentsPerCard() {
        ReviewQueue q = queue();
        for (int i = 0; i < 5; i++) {
            q.onScore(score("t" + i, "card-0001", "m1", "2026-01-24T10:0" + i + ":00Z", 0.1));
        }
        assertThat(q.cardPayments("card-0001")).extracting(Payment::transactionId).containsExactly("t4", "t3", "t2");
        assertThat(q.find("t0")).isEmpty();
        q.onAlert(alert("a1", "card-0002", "m1", "2026-01-22T10:00:00Z", 0.9));
        q.onAlert(alert("a2", "card-0002", "m1", "2026-01-24T10:00:00Z", 0.9));
        assertThat(q.find("a1")).as("an alert older than the days kept").isEmpty();
        q.onAlert(alert("a3", "card-0002", "m1", "2026-01-22T11:00:00Z", 0.9));
        assertThat(q.find("a3")).isEmpty();
    }

    @Test
    void todaysNumbersComeFromTheScoresAndLabels() {
        ReviewQueue q = queue();
        q.onAlert(alert("t1", "card-0001", "m1", "2026-01-24T10:00:00Z", 0.9));
        q.onScore(score("t1", "card-0001", "m1", "2026-01-24T12:00:00Z", 0.9));
        q.onScore(score("t2", "card-0002", "m1", "2026-01-24T12:00:01Z", 0.8));
        q.onScore(score("t3", "card-0003", "m1", "2026-01-24T12:00:02Z", 0.1));
        q.onLabel(label("t1", "card-0001", true, "2026-01-24T12:00:03Z", "2026-01-24T12:00:00Z"));
        q.onLabel(label("t2", "card-0002", false, "2026-01-24T12:00:03Z", "2026-01-24T12:00:01Z"));
        TodayStats s = q.stats(2);
        assertThat(s.day()).isEqualTo(LocalDate.parse("2026-01-24"));
        assertThat(s.cpAtK()).isEqualTo(0.5);
        assertThat(s.labeled()).isEqualTo(2);
        assertThat(s.p50Ms()).isEqualTo(12.0);
        assertThat(s.throughputTps()).isEqualTo(0.3); // 3 scores in the last 10 s
    }
}
