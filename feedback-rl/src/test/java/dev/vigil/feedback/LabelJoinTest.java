package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.feedback.decisions.DecisionLog;
import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.labels.LabelJoin;
import dev.vigil.feedback.labels.LabelWindow;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LabelJoinTest {

    private static final Instant T = Instant.parse("2026-01-10T12:00:00Z");

    static LoggedDecision decision(String id, Instant at) {
        return new LoggedDecision(id, "card", at, 100, "EUR", 0.7, "alert", 1, "m", "1", null);
    }

    static FraudLabel label(String id, boolean fraud, LabelSource source, Instant at) {
        return FraudLabel.newBuilder().setTransactionId(id).setCardId("card").setIsFraud(fraud).setSource(source)
                .setLabeledBy("analyst-1").setLabeledTime(at).build();
    }

    @Test
    void aLabelJoinsItsLoggedDecision() {
        DecisionLog log = new DecisionLog(Duration.ofDays(1), 100);
        log.add(decision("t1", T));
        LabelJoin join = new LabelJoin(log, Duration.ofHours(1), 100);
        LabeledDecision joined = join.onLabel(label("t1", true, LabelSource.ANALYST, T.plusSeconds(60)), 0, 7)
                .orElseThrow();
        assertThat(joined.decision().transactionId()).isEqualTo("t1");
        assertThat(joined.fraud()).isTrue();
        assertThat(joined.labelOffset()).isEqualTo(7);
        assertThat(join.joined()).isEqualTo(1);
        assertThat(join.unknown()).isZero();
    }

    @Test
    void aLabelTimedFarAheadOfTheStreamIsRefusedAndMovesNoClock() {
        DecisionLog log = new DecisionLog(Duration.ofDays(1), 100);
        log.add(decision("t1", T));
        log.add(decision("t2", T));
        LabelJoin join = new LabelJoin(log, Duration.ofHours(1), 100);
        assertThat(join.onLabel(label("waiting", false, LabelSource.ANALYST, T), 0, 1)).isEmpty();
        // eleven months ahead, as a wall-clock label among simulated ones once was: refused, not joined
        assertThat(join.onLabel(label("t1", true, LabelSource.ANALYST, T.plus(Duration.ofDays(330))), 0, 2)).isEmpty();
        assertThat(join.refused()).isEqualTo(1);
        assertThat(join.joined()).isZero();
        // the pending label's clock did not move: it is still waiting, not expired
        assertThat(join.pending()).isEqualTo(1);
        assertThat(join.expired()).isZero();
        // at the bound it is a label like any other (a long review delay, clock skew)
        assertThat(join.onLabel(label("t2", true, LabelSource.ANALYST, T.plus(LabelJoin.MAX_LEAD)), 0, 3)).isPresent();
        assertThat(join.refused()).isEqualTo(1);
    }

    @Test
    void aLabelForAnUnknownTransactionIsCountedAndJoinedIfItsScoreArrivesLater() {
        DecisionLog log = new DecisionLog(Duration.ofDays(1), 100);
        LabelJoin join = new LabelJoin(log, Duration.ofHours(1), 100);
        assertThat(join.onLabel(label("late", false, LabelSource.ANALYST, T), 0, 1)).isEmpty();
        assertThat(join.onLabel(label("never", false, LabelSource.ANALYST, T), 0, 2)).isEmpty();
        assertThat(join.unknown()).isEqualTo(2);
        assertThat(join.pending()).isEqualTo(2);

        LoggedDecision late = decision("late", T);
        log.add(late);
        assertThat(join.onDecision(late)).singleElement()
                .satisfies(l -> assertThat(l.transactionId()).isEqualTo("late"));
        assertThat(join.lateJoined()).isEqualTo(1);

        // two hours of label time later the other one has aged out
        join.onLabel(label("other", true, LabelSource.CHARGEBACK, T.plus(Duration.ofHours(2))), 0, 3);
        assertThat(join.expired()).isEqualTo(1);
    }

    @Test
    void decisionsOlderThanTheRetentionAreDropped() {
        DecisionLog log = new DecisionLog(Duration.ofDays(1), 100);
        log.add(decision("old", T));
        log.add(decision("new", T.plus(Duration.ofDays(2))));
        assertThat(log.find("old")).isEmpty();
        assertThat(log.find("new")).isPresent();
        assertThat(log.evicted()).isEqualTo(1);
    }

    @Test
    void theDecisionLogKeepsAtMostItsCapacity() {
        DecisionLog log = new DecisionLog(Duration.ofDays(1), 2);
        log.add(decision("a", T));
        log.add(decision("b", T.plusSeconds(1)));
        log.add(decision("c", T.plusSeconds(2)));
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.find("a")).isEmpty();
    }

    @Test
    void theLatestLabelOfATransactionWinsInTheWindow() {
        LabelWindow window = new LabelWindow(Duration.ofDays(30), 100);
        LoggedDecision d = decision("t", T);
        window.add(new LabeledDecision(d, false, LabelSource.ANALYST, T.plusSeconds(60), 0, 1));
        window.add(new LabeledDecision(d, true, LabelSource.CHARGEBACK, T.plus(Duration.ofDays(20)), 0, 9));
        window.add(new LabeledDecision(decision("u", T), false, LabelSource.ANALYST, T.plusSeconds(30), 0, 2));
        assertThat(window.snapshot()).extracting(LabeledDecision::transactionId).containsExactly("u", "t");
        assertThat(window.snapshot().get(1).fraud()).isTrue();
        assertThat(window.snapshot().get(1).source()).isEqualTo(LabelSource.CHARGEBACK);
    }
}
