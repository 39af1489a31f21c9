package dev.vigil.streams.scoring;

import static dev.vigil.streams.ScoringDriver.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.streams.ScoringDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction id already scored within the duplicate window (24 h of wall clock) gets no second score, alert or card
 * update: it is a dead letter {@code duplicate} that names the first score. After the window it is scored again.
 */
class DuplicatesTest {

    @TempDir
    Path state;

    @Test
    void aCopyOfAScoredTransactionIsADeadLetterThatNamesTheFirstScore() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(1, Duration.ofHours(1)))) {
            scorer.send(payment("t1", "c-1", 30));
            FraudScore first = only(scorer.scores());
            scorer.alerts(); // the first score's alert, if it has one

            scorer.clock().addAndGet(Duration.ofMinutes(5).toMillis());
            scorer.send(payment("t1", "c-1", 30));

            assertThat(scorer.scores()).isEmpty();
            assertThat(scorer.alerts()).isEmpty();
            DeadLetter letter = only(scorer.deadLetters());
            assertThat(letter.getStage()).isEqualTo("duplicate");
            assertThat(letter.getSourceOffset()).isEqualTo(1);
            assertThat(letter.getErrorMessage()).isEqualTo("transaction t1 was already scored (first scored at "
                    + first.getScoredTime() + ": score " + String.format(Locale.ROOT, "%.4f", first.getScore())
                    + ", decision " + first.getDecision() + ", adapter 1); this copy gets no second score or alert");
            assertThat(scorer.cardHistory("c-1").recentSize()).as("no second card update").isEqualTo(1);
            assertThat(scorer.metrics().count("vigil.dead.letters", "stage", "duplicate")).isEqualTo(1);
        }
    }

    @Test
    void aCopyEarlierInTheSameBatchLeavesOnlyTheFirstToBeScored() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(3, Duration.ofHours(1)))) {
            scorer.send(payment("t1", "c-1", 30));
            scorer.send(payment("t1", "c-1", 30));
            scorer.send(payment("t2", "c-1", 20));

            assertThat(scorer.scores()).extracting(FraudScore::getTransactionId).containsExactly("t1", "t2");
            DeadLetter letter = only(scorer.deadLetters());
            assertThat(letter.getStage()).isEqualTo("duplicate");
            assertThat(letter.getSourceOffset()).isEqualTo(1);
            assertThat(letter.getErrorMessage()).startsWith(
                    "transaction t1 was already scored (at offset 0, earlier in the same batch)");
            assertThat(scorer.cardHistory("c-1").recentSize()).isEqualTo(2);
        }
    }

    @Test
    void aCopyIsADuplicateWithinTheWindowAndScoredAgainAfterIt() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(1, Duration.ofHours(1)))) {
            scorer.send(payment("t1", "c-1", 30));
            assertThat(scorer.scores()).hasSize(1);

            scorer.clock().addAndGet(Duration.ofHours(23).toMillis());
            scorer.send(payment("t1", "c-1", 30));
            assertThat(scorer.scores()).isEmpty();
            assertThat(only(scorer.deadLetters()).getStage()).isEqualTo("duplicate");

            scorer.clock().addAndGet(Duration.ofHours(2).toMillis()); // 25 h after the first score
            scorer.send(payment("t1", "c-1", 30));
            assertThat(scorer.scores()).extracting(FraudScore::getTransactionId).containsExactly("t1");
            assertThat(scorer.deadLetters()).isEmpty();
        }
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
