package dev.vigil.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaselineFeaturesTest {

    private final BaselineFeatures flat = new BaselineFeatures(3, 2, 1);

    @Test
    void summarisesTheRealPositionsOnlyAndTakesThePreviousPaymentBeforeTheCurrentOne() {
        // position 0 is padding, 1 the previous payment, 2 the current one
        float[] seq = {9, 9, 1, 10, 3, 20};
        float[] mask = {0, 1, 1};
        float[] out = new float[flat.width()];

        flat.row(seq, mask, new float[] {0.5f}, out, 0);

        assertThat(flat.width()).isEqualTo(1 + 3 * 2 + 1);
        assertThat(out).containsExactly(0.5f, 2f, 15f, 3f, 20f, 1f, 10f, 2f);
    }

    @Test
    void aCardWithoutPastPaymentsHasNoPreviousBlock() {
        float[] seq = {0, 0, 0, 0, 4, 8};
        float[] out = new float[flat.width()];

        flat.row(seq, new float[] {0, 0, 1}, new float[] {1f}, out, 0);

        assertThat(out[1]).isEqualTo(4f);
        assertThat(out[5]).isNaN();
        assertThat(out[6]).isNaN();
        assertThat(out[7]).isEqualTo(1f);
    }

    @Test
    void namesFollowTheColumns() {
        String[] names = flat.names(new String[] {"amount"}, new String[] {"a", "b"});
        assertThat(names).containsExactly("amount", "seq_mean.a", "seq_mean.b", "seq_max.a", "seq_max.b",
                "seq_previous.a", "seq_previous.b", "seq_count");
    }
}
