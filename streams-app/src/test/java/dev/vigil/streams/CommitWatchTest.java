package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommitWatchTest {

    private static final Duration AFTER = Duration.ofSeconds(60);
    private static final long S = 1_000_000_000L;

    @Test
    void aBatchScoredAndNotCommittedForTheWholeSpanIsReported() {
        ScoringApp.CommitWatch watch = new ScoringApp.CommitWatch(-10 * S);
        assertThat(watch.check(10, -5 * S, 0, 0, AFTER)).as("first look: ten commits").isNull();
        assertThat(watch.check(10, -5 * S, 0, 100 * S, AFTER)).as("idle: nothing scored, nothing to commit").isNull();

        assertThat(watch.check(10, 101 * S, 0, 102 * S, AFTER)).as("a batch just scored").isNull();
        assertThat(watch.check(10, 101 * S, 0, 160 * S, AFTER)).as("not yet a minute").isNull();
        assertThat(watch.check(10, 101 * S, 0, 161 * S, AFTER)).isEqualTo("output scored and nothing committed for "
                + "60 s (is the broker refusing it? see the producer's warnings)");

        assertThat(watch.check(11, 170 * S, 0, 171 * S, AFTER)).as("a commit at last").isNull();
        assertThat(watch.check(11, 170 * S, 0, 400 * S, AFTER)).as("nothing scored since").isNull();
    }

    @Test
    void aScorerThatNeverCommittedSinceItStartedIsReportedFromTheFirstLook() {
        ScoringApp.CommitWatch watch = new ScoringApp.CommitWatch(0);
        assertThat(watch.check(0, 2 * S, 0, 70 * S, AFTER)).as("scored at 2 s, nothing ever committed")
                .startsWith("output scored and nothing committed for 68 s");
    }

    @Test
    void aBatchScoredJustBeforeACommitWasSeenThenAThreadBlockedWithoutCommittingIsReported() {
        ScoringApp.CommitWatch watch = new ScoringApp.CommitWatch(0);
        // the look at 10 s sees a commit (made before the batch scored at 9.9 s): the batch reads as committed
        assertThat(watch.check(3, 9_900_000_000L, 1 * S, 10 * S, AFTER)).isNull();
        // then the thread blocks in its next transaction; nothing is scored again
        assertThat(watch.check(3, 9_900_000_000L, 40 * S, 60 * S, AFTER)).as("not yet a minute").isNull();
        assertThat(watch.check(3, 9_900_000_000L, 55 * S, 70 * S, AFTER)).isEqualTo("nothing committed for 60 s while "
                + "the stream threads were blocked on Kafka for 54 s (is the broker refusing the output? see the "
                + "producer's warnings)");
    }

    @Test
    void anIdleScorerIsNotBlockedAndStaysUp() {
        ScoringApp.CommitWatch watch = new ScoringApp.CommitWatch(0);
        assertThat(watch.check(3, -1, 1 * S, 10 * S, AFTER)).isNull();
        // an hour with no input: no commit, a few seconds of blocking in polls
        assertThat(watch.check(3, -1, 4 * S, 3_600 * S, AFTER)).isNull();
    }
}
