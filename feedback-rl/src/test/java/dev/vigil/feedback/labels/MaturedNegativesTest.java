package dev.vigil.feedback.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MaturedNegativesTest {

    private static final Instant T = Instant.parse("2026-01-10T12:00:00Z");
    private static final MaturedNegatives EVERY_ONE = new MaturedNegatives(1.0, Duration.ofDays(7));

    static LoggedDecision decision(String id, Instant eventTime, String decision, double p) {
        return new LoggedDecision(id, "card-" + id, eventTime, 100, "EUR", 0.2, decision, p, "m", "1", null);
    }

    @Test
    void aDecisionMaturesWhenItsChargebackWindowHasClosed() {
        LoggedDecision d = decision("a", T, "pass", 0);
        assertThat(EVERY_ONE.maturesAt(d)).isEqualTo(T.plus(Duration.ofDays(7)));
        assertThat(EVERY_ONE.mature(d, T.plus(Duration.ofDays(7)).minusSeconds(1))).isFalse();
        assertThat(EVERY_ONE.mature(d, T.plus(Duration.ofDays(7)))).isTrue();
    }

    @Test
    void onlyMaturedUnlabeledDecisionsInsideTheHorizonBecomeGenuineExamples() {
        Instant now = T.plus(Duration.ofDays(10));
        List<LoggedDecision> log = List.of(
                decision("matured-pass", T, "pass", 0),
                decision("matured-alert", T.plusSeconds(60), "alert", 1),
                decision("labeled", T, "pass", 0),
                decision("too-young", now.minus(Duration.ofDays(6)), "pass", 0),
                decision("too-old", T.minus(Duration.ofDays(30)), "pass", 0));
        List<LabeledDecision> out = EVERY_ONE.select(log, Set.of("labeled")::contains, now,
                now.minus(Duration.ofDays(30)));

        assertThat(out).extracting(LabeledDecision::transactionId).containsExactly("matured-pass", "matured-alert");
        assertThat(out).allSatisfy(l -> {
            assertThat(l.fraud()).isFalse();
            assertThat(l.matured()).isTrue();
            assertThat(l.origin()).isEqualTo("matured");
            assertThat(l.labelTime()).isEqualTo(l.decision().eventTime().plus(Duration.ofDays(7)));
        });
    }

    @Test
    void theSampleIsAFixedFunctionOfTheTransactionIdNearTheRate() {
        MaturedNegatives tenth = new MaturedNegatives(0.1, Duration.ofDays(7));
        MaturedNegatives fifth = new MaturedNegatives(0.2, Duration.ofDays(7));
        List<String> ids = IntStream.range(0, 50_000).mapToObj(i -> "tx-" + i).toList();
        List<String> first = ids.stream().filter(tenth::sampled).toList();
        List<String> again = ids.stream().filter(new MaturedNegatives(0.1, Duration.ofDays(3))::sampled).toList();

        assertThat(again).isEqualTo(first);
        assertThat(first.size() / 50_000.0).isCloseTo(0.1, within(0.005));
        // a higher rate keeps every id a lower one kept: raising the rate only adds examples
        assertThat(ids.stream().filter(fifth::sampled).toList()).containsAll(first);
        assertThat(MaturedNegatives.unitHash("tx-1")).isEqualTo(MaturedNegatives.unitHash("tx-1"));
    }

    @Test
    void aMaturedNegativeWeighsOneOverTheRateWhatEverThePolicyDid() {
        MaturedNegatives tenth = new MaturedNegatives(0.1, Duration.ofDays(7));
        Instant now = T.plus(Duration.ofDays(8));
        List<LoggedDecision> log = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            log.add(decision("p" + i, T, "pass", 0));
            log.add(decision("r" + i, T, "review", 0.05));
        }
        List<LabeledDecision> out = tenth.select(log, id -> false, now, T);
        ImportanceWeights weights = ImportanceWeights.defaults();

        assertThat(out).isNotEmpty().allSatisfy(l -> assertThat(weights.weight(l)).isCloseTo(10.0, within(1e-12)));
        assertThat(out).anyMatch(l -> l.decision().reviewed()).anyMatch(l -> !l.decision().reviewed());
        // labels that came back keep their 1 / p
        LabeledDecision explored = new LabeledDecision(decision("x", T, "review", 0.05), false, LabelSource.ANALYST,
                T.plusSeconds(3600), 0, 1);
        assertThat(explored.matured()).isFalse();
        assertThat(weights.weight(explored)).isCloseTo(20.0, within(1e-12));
    }

    @Test
    void badSettingsAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> new MaturedNegatives(0, Duration.ofDays(7)))
                .hasMessageContaining("--matured-negative-rate must be in (0, 1]");
        assertThatThrownBy(() -> new MaturedNegatives(0.1, Duration.ZERO))
                .hasMessageContaining("--label-delay must be a positive duration");
        assertThatThrownBy(() -> new LabeledDecision(decision("f", T, "pass", 0), true, LabelSource.UNKNOWN, T, -1, 0,
                0.1)).hasMessageContaining("genuine");
    }
}
