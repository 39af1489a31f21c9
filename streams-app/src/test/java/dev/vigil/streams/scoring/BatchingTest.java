package dev.vigil.streams.scoring;

import static dev.vigil.streams.ScoringDriver.payment;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.streams.ScoringDriver;
import io.micrometer.core.instrument.DistributionSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch is scored when it is full, or by the linger punctuation once its oldest transaction has waited the linger;
 * meanwhile the {@code pending} store names the batch's range of input offsets (one entry, overwritten by each
 * record), and scoring the batch deletes it.
 */
class BatchingTest {

    @TempDir
    Path state;

    @Test
    void aBatchIsScoredWhenFullAndUntilThenThePendingStoreNamesItsOffsetRange() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(3, Duration.ofHours(1)))) {
            scorer.send(payment("t0", "c-1", 30));
            scorer.send(payment("t1", "c-2", 20));

            assertThat(scorer.scores()).isEmpty();
            assertThat(onlyRange(scorer)).containsExactly(0L, 1L);

            scorer.send(payment("t2", "c-1", 10));

            assertThat(scorer.scores()).extracting(FraudScore::getTransactionId).containsExactly("t0", "t1", "t2");
            assertThat(scorer.pending()).as("a scored batch leaves nothing pending").isEmpty();
            DistributionSummary batches = scorer.metrics().registry().find("vigil.batch.size").summary();
            assertThat(batches.count()).as("one inference call").isEqualTo(1);
            assertThat(batches.totalAmount()).isEqualTo(3);

            scorer.send(payment("t3", "c-3", 5));

            assertThat(scorer.scores()).isEmpty();
            assertThat(onlyRange(scorer)).as("the next batch starts at the next offset").containsExactly(3L, 3L);
        }
    }

    @Test
    void theLingerPunctuationScoresAWaitingBatchOnceItsOldestHasWaitedTheLinger() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(64, Duration.ofMillis(20)))) {
            scorer.send(payment("t0", "c-1", 30));
            scorer.send(payment("t1", "c-2", 20));
            assertThat(scorer.scores()).isEmpty();

            scorer.lingerPasses();

            assertThat(scorer.scores()).extracting(FraudScore::getTransactionId).containsExactly("t0", "t1");
            assertThat(scorer.pending()).isEmpty();
        }
    }

    @Test
    void thePunctuationLeavesABatchThatHasNotWaitedTheLingerOnTheRealClock() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(64, Duration.ofHours(1)))) {
            scorer.send(payment("t0", "c-1", 30));
            scorer.send(payment("t1", "c-2", 20));

            // the punctuation is due every half linger of the stream's wall clock, but it measures the batch's wait on
            // the real clock (so that it ends only batches that waited, not every batch at every loop under load):
            // two hours of the driver's clock are not an hour's wait
            scorer.advanceStreamClock(Duration.ofHours(2));

            assertThat(scorer.scores()).isEmpty();
            assertThat(onlyRange(scorer)).containsExactly(0L, 1L);
        }
    }

    @Test
    void aDeadLetteredBatchLeavesNothingPendingEither() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(2, Duration.ofHours(1)))) {
            scorer.sendRaw("c-1".getBytes(UTF_8), "not avro".getBytes(UTF_8));
            assertThat(onlyRange(scorer)).containsExactly(0L, 0L);

            scorer.sendRaw("c-1".getBytes(UTF_8), null);

            assertThat(scorer.deadLetters()).hasSize(2);
            assertThat(scorer.scores()).isEmpty();
            assertThat(scorer.pending()).isEmpty();
        }
    }

    /** The one pending entry's range, as (first offset, last offset). */
    private static List<Long> onlyRange(ScoringDriver scorer) {
        List<KeyValue<byte[], byte[]>> pending = scorer.pending();
        assertThat(pending).as("one pending entry per task").hasSize(1);
        long[] range = ScoringDriver.range(pending.get(0).value);
        return List.of(range[0], range[1]);
    }
}
