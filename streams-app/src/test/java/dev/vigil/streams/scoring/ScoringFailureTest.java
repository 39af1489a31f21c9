package dev.vigil.streams.scoring;

import static dev.vigil.streams.ScoringDriver.bytes;
import static dev.vigil.streams.ScoringDriver.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.streams.ScoringDriver;
import dev.vigil.testkit.SeededModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch the engine cannot score is dead-lettered whole (stage {@code score}), never lost and never half-applied: the
 * cards' histories stay as they were and the transaction ids are not taken, so the payments can be replayed from the
 * dead-letter topic and scored.
 */
class ScoringFailureTest {

    @TempDir
    Path state;

    @Test
    void aBatchTheEngineCannotScoreIsDeadLetteredWholeAndChangesNoCard() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(2, Duration.ofHours(1)))) {
            scorer.send(payment("t0", "c-1", 50));
            scorer.send(payment("t1", "c-2", 45));
            assertThat(scorer.scores()).hasSize(2);
            scorer.alerts();

            // an adapter for another network (two encoder layers): the graph refuses it
            Adapter foreign = Adapter.zero(SeededModel.config().withEncoder(32, 2, 2, 64));
            scorer.adapters().swap(new LiveAdapter("foreign", 2, foreign));
            Transaction t2 = payment("t2", "c-1", 40);
            Transaction t3 = payment("t3", "c-3", 35);
            scorer.send(t2);
            scorer.send(t3);

            assertThat(scorer.scores()).isEmpty();
            assertThat(scorer.alerts()).isEmpty();
            List<DeadLetter> letters = scorer.deadLetters();
            assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(2L, 3L);
            assertThat(letters).allSatisfy(letter -> {
                assertThat(letter.getStage()).isEqualTo("score");
                assertThat(letter.getErrorClass()).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(letter.getErrorMessage()).startsWith("scoring failed: ")
                        .contains("do not match the graph's adapter inputs");
            });
            assertThat(bytes(letters.get(0).getOriginalValue())).isEqualTo(scorer.encode(t2));
            assertThat(scorer.cardHistory("c-1").recentSize()).as("c-1 as it was after t0").isEqualTo(1);
            assertThat(scorer.cardHistory("c-3")).isNull();
            assertThat(scorer.pending()).isEmpty();
            assertThat(scorer.metrics().count("vigil.dead.letters", "stage", "score")).isEqualTo(2);

            // replayed from the dead-letter topic once the adapter is fixed: scored, not duplicates
            scorer.adapters().swap(scorer.firstAdapter());
            scorer.sendRaw(bytes(letters.get(0).getOriginalKey()), bytes(letters.get(0).getOriginalValue()));
            scorer.sendRaw(bytes(letters.get(1).getOriginalKey()), bytes(letters.get(1).getOriginalValue()));

            assertThat(scorer.scores()).extracting(FraudScore::getTransactionId).containsExactly("t2", "t3");
            assertThat(scorer.deadLetters()).isEmpty();
            assertThat(scorer.cardHistory("c-1").recentSize()).isEqualTo(2);
        }
    }
}
