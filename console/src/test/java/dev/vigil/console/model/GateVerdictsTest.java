package dev.vigil.console.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.GateOutcome;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateVerdictsTest {

    @Test
    void keepsOnlyRefusalsNewestFirstAndAtMostItsCapacity() {
        GateVerdicts verdicts = new GateVerdicts();
        verdicts.onVerdict(verdict("promoted", 0));
        assertThat(verdicts.refusals()).isEmpty();
        for (int i = 1; i <= GateVerdicts.CAPACITY + 5; i++) {
            verdicts.onVerdict(verdict("refused", i));
        }
        assertThat(verdicts.refusals()).hasSize(GateVerdicts.CAPACITY);
        assertThat(verdicts.refusals().get(0).getReason()).isEqualTo("cycle " + (GateVerdicts.CAPACITY + 5));
        assertThat(verdicts.refusals().get(GateVerdicts.CAPACITY - 1).getReason()).isEqualTo("cycle 6");
    }

    private static GateOutcome verdict(String outcome, int cycle) {
        return GateOutcome.newBuilder().setDecidedTime(Instant.ofEpochSecond(cycle)).setBaseModelHash("base")
                .setOutcome(outcome).setLiveVersion("1").setReleaseVersion(outcome.equals("promoted") ? "2" : null)
                .setReason("cycle " + cycle).setMetrics(Map.of()).build();
    }
}
