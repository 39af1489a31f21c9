package dev.vigil.trainer.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NegativeSamplingTest {

    @Test
    void everyFraudIsKeptAndGenuineTransactionsAtTheRate() {
        NegativeSampling sampling = new NegativeSampling(0.1, 42);
        int kept = 0;
        for (int i = 0; i < 100_000; i++) {
            kept += sampling.keep("t" + i, false) ? 1 : 0;
            assertThat(sampling.keep("t" + i, true)).isTrue();
        }
        assertThat(kept / 100_000.0).isCloseTo(0.1, within(0.005));
    }

    @Test
    void theDrawIsAPureFunctionOfSeedAndTransactionId() {
        NegativeSampling a = new NegativeSampling(0.3, 7);
        NegativeSampling b = new NegativeSampling(0.3, 7);
        NegativeSampling other = new NegativeSampling(0.3, 8);
        int differ = 0;
        for (int i = 0; i < 1000; i++) {
            assertThat(a.keep("tx-" + i, false)).isEqualTo(b.keep("tx-" + i, false));
            differ += a.keep("tx-" + i, false) != other.keep("tx-" + i, false) ? 1 : 0;
        }
        assertThat(differ).isPositive();
    }

    @Test
    void aKeptGenuineTransactionStandsForOneOverTheRate() {
        NegativeSampling sampling = new NegativeSampling(0.25, 1);
        assertThat(sampling.weight(false)).isEqualTo(4f);
        assertThat(sampling.weight(true)).isEqualTo(1f);
        assertThat(NegativeSampling.none(1).weight(false)).isEqualTo(1f);
    }
}
