package dev.vigil.model.features;

import static dev.vigil.model.features.Payments.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CardHistoryTest {

    private final FeatureEncoder encoder = FeatureEncoder.standard();
    private final int count1d = FeatureSpec.D_CARD_COUNT_1D;
    private final int count30d = FeatureSpec.D_CARD_COUNT_30D;

    @Test
    void decodingAnEncodedHistoryGivesTheSameStateAndTheSameFeatures() {
        Random rng = new Random(3);
        CardHistory h = encoder.emptyHistory();
        List<Payment> payments = randomPayments(rng, 300);
        for (Payment p : payments) {
            CardHistory decoded = CardHistory.decode(h.encode());
            assertThat(decoded).isEqualTo(h);
            assertThat(encoder.cardFeatures(p, decoded)).isEqualTo(encoder.cardFeatures(p, h));
            h.update(p);
        }
        assertThat(h.recentSize()).isEqualTo(15);
        assertThat(h.deviceCount()).isEqualTo(CardHistory.DEVICE_CAP);
    }

    @Test
    void anEmptyHistoryRoundTrips() {
        CardHistory empty = encoder.emptyHistory();
        CardHistory decoded = CardHistory.decode(empty.encode());
        assertThat(decoded).isEqualTo(empty);
        assertThat(decoded.newestTime()).isNull();
        assertThat(decoded.recentCapacity()).isEqualTo(15);
    }

    @Test
    void aTypicalCardEncodesSmall() {
        CardHistory h = encoder.emptyHistory();
        Random rng = new Random(5);
        for (int day = 0; day < 30; day++) {
            for (int i = 0; i < 2; i++) {
                h.update(at(days(day).plus(hours(8 + rng.nextInt(12))), "c", "m" + rng.nextInt(20), 5 + rng.nextInt(80)));
            }
        }
        assertThat(h.windowSize()).isEqualTo(60);
        assertThat(h.encode().length).isLessThan(1_100);
    }

    @Test
    void aCardWindowCountsPaymentsStrictlyInsideTheWindow() {
        CardHistory h = encoder.emptyHistory();
        h.update(at(days(-1), "c", "m", 10));                        // exactly 1 day before: outside (t - 1d, t)
        h.update(at(days(-1).plusMillis(1), "c", "m", 10));          // 1 day minus 1 ms before: inside
        h.update(at(Duration.ZERO, "c", "m", 10));                   // at t: not before t, so not seen
        Payment current = at(Duration.ZERO, "c", "m", 10);
        float[] dense = encoder.cardFeatures(current, h).dense();
        assertThat(dense[count1d]).isEqualTo((float) (StrictMath.log1p(1) / 3));
        assertThat(dense[count30d]).isEqualTo((float) (StrictMath.log1p(2) / 3));
    }

    @Test
    void theWindowKeepsAtMostItsCapAndForgetsWhatIsOlderThanItsRetention() {
        CardHistory h = encoder.emptyHistory();
        for (int i = 0; i < CardHistory.WINDOW_CAP + 100; i++) {
            h.update(at(minutes(i), "c", "m", 1));
        }
        assertThat(h.windowSize()).isEqualTo(CardHistory.WINDOW_CAP);
        float[] dense = encoder.cardFeatures(at(days(1), "c", "m", 1), h).dense();
        assertThat(dense[count30d]).isEqualTo((float) (StrictMath.log1p(CardHistory.WINDOW_CAP) / 3));

        h.update(at(days(40), "c", "m", 1)); // 31 days after everything: all of it leaves the window
        assertThat(h.windowSize()).isEqualTo(1);
        assertThat(h.recentSize()).isEqualTo(15);
    }

    @Test
    void keepsTheLastPaymentsInTimeOrderAndInsertsALatePaymentWhereItBelongs() {
        CardHistory h = encoder.emptyHistory();
        for (int i = 0; i < 20; i++) {
            h.update(at(hours(i * 2), "c", "m" + i, 10 + i));
        }
        Payment late = at(hours(35), "c", "late", 99); // between the payments at 34 h and 36 h
        h.update(late);
        long[] times = Arrays.copyOf(h.recentTime, h.recentSize());
        assertThat(times).isSorted().hasSize(15).contains(late.eventMillis());
        assertThat(h.recentTime[0]).isEqualTo(T0.plus(hours(12)).toEpochMilli()); // 10 h went to make room

        h.update(at(hours(1), "c", "ancient", 1)); // older than every payment kept: dropped from recent
        assertThat(Arrays.copyOf(h.recentTime, h.recentSize())).isSorted().doesNotContain(T0.plus(hours(1)).toEpochMilli());
        assertThat(h.windowSize()).isEqualTo(22); // but counted in the window
    }

    @Test
    void aLatePaymentSeesOnlyWhatCameBeforeIt() {
        List<Payment> inOrder = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inOrder.add(at(hours(i), "c", "m" + i, 10 + i));
        }
        Payment late = inOrder.get(3);
        CardHistory before = encoder.emptyHistory();
        inOrder.subList(0, 3).forEach(before::update);
        CardHistory all = encoder.emptyHistory();
        inOrder.forEach(all::update); // already holds the late payment and two later ones
        assertThat(encoder.cardFeatures(late, all)).isEqualTo(encoder.cardFeatures(late, before));
    }

    @Test
    void forgetsTheLeastRecentlyUsedDeviceBeyondTheCap() {
        CardHistory h = encoder.emptyHistory();
        for (int d = 0; d < CardHistory.DEVICE_CAP; d++) {
            h.update(online(hours(d), "c", "m", 10, "dev" + d));
        }
        h.update(online(hours(20), "c", "m", 10, "dev0")); // dev0 used again: dev1 is now the least recent
        h.update(online(hours(21), "c", "m", 10, "new"));
        int deviceNew = FeatureSpec.D_DEVICE_NEW;
        assertThat(encoder.cardFeatures(online(hours(30), "c", "m", 10, "dev0"), h).dense()[deviceNew]).isZero();
        assertThat(encoder.cardFeatures(online(hours(30), "c", "m", 10, "dev2"), h).dense()[deviceNew]).isZero();
        assertThat(encoder.cardFeatures(online(hours(30), "c", "m", 10, "dev1"), h).dense()[deviceNew]).isEqualTo(1f);
        assertThat(h.deviceCount()).isEqualTo(CardHistory.DEVICE_CAP);
    }

    @Test
    void rejectsAnotherFormatVersionAndATruncatedValue() {
        CardHistory h = encoder.emptyHistory();
        h.update(at(Duration.ZERO, "c", "m", 10));
        byte[] bytes = h.encode();
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 99;
        assertThatThrownBy(() -> CardHistory.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 99");
        assertThatThrownBy(() -> CardHistory.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> CardHistory.decode(longer)).hasMessageContaining("left over");
    }

    static List<Payment> randomPayments(Random rng, int n) {
        List<Payment> payments = new ArrayList<>();
        long minutes = 0;
        for (int i = 0; i < n; i++) {
            minutes += rng.nextInt(600);
            long at = minutes - (rng.nextInt(10) == 0 ? rng.nextInt(2000) : 0); // one in ten arrives late
            Duration offset = minutes(at);
            Payment p = switch (rng.nextInt(3)) {
                case 0 -> at(offset, "c", "m" + rng.nextInt(5), rng.nextDouble() * 200);
                case 1 -> online(offset, "c", "m" + rng.nextInt(5), rng.nextDouble() * 200, "d" + rng.nextInt(12));
                default -> bare(offset, "c", "m" + rng.nextInt(5), rng.nextInt(100_000));
            };
            payments.add(p);
        }
        return payments;
    }
}
