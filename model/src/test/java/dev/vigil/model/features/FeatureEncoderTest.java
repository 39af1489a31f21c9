package dev.vigil.model.features;

import static dev.vigil.model.features.Payments.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCase;
import dev.vigil.model.context.SimilarCases;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureEncoderTest {

    private final FeatureEncoder encoder = FeatureEncoder.standard();
    private final FeatureSpec spec = encoder.spec();
    private final int fs = spec.seqFeatureCount();
    private final int seqLen = spec.seqLen();
    private final SimilarCases none = SimilarCases.none(FeatureSpec.SIMILAR_K);

    @Test
    void theStandardSpecHasSixteenPositionsOf24FeaturesAnd42DenseFeatures() {
        assertThat(spec.seqLen()).isEqualTo(16);
        assertThat(spec.seqFeatureCount()).isEqualTo(24);
        assertThat(spec.denseFeatureCount()).isEqualTo(42);
        assertThat(spec.caseVectorDimension()).isEqualTo(12);
        ModelInputs in = encoder.encode(at(Duration.ZERO, "c", "m", 10), encoder.emptyHistory(),
                MerchantContext.NOTHING_KNOWN, none);
        assertThat(in.seq()).hasSize(16 * 24);
        assertThat(in.seqMask()).hasSize(16);
        assertThat(in.dense()).hasSize(42);
    }

    @Test
    void aCardWithNoHistoryAndNoOptionalFieldsGetsFiniteInputsWithTheMissingFlagsSet() {
        Payment bare = bare(Duration.ZERO, "c", "m", 1234);
        ModelInputs in = encoder.encode(bare, encoder.emptyHistory(), MerchantContext.MISSING,
                SimilarCases.missing(FeatureSpec.SIMILAR_K));
        assertFinite(in);
        float[] mask = new float[seqLen];
        mask[seqLen - 1] = 1f;
        assertThat(in.seqMask()).containsExactly(mask);
        for (int i = 0; i < (seqLen - 1) * fs; i++) {
            assertThat(in.seq()[i]).as("padding value %d", i).isZero();
        }
        float[] d = in.dense();
        assertThat(d[FeatureSpec.D_NO_HISTORY]).isEqualTo(1f);
        assertThat(d[FeatureSpec.D_DISTANCE_UNKNOWN]).isEqualTo(1f);
        assertThat(d[FeatureSpec.D_HAS_DEVICE]).isZero();
        assertThat(d[FeatureSpec.D_ONLINE]).isZero();
        assertThat(d[FeatureSpec.D_CARD_PRESENT]).isZero();
        assertThat(d[FeatureSpec.D_CATEGORY_NEW]).isZero();
        assertThat(d[FeatureSpec.D_MERCHANT_MISSING]).isEqualTo(1f);
        assertThat(d[FeatureSpec.D_SIMILAR_MISSING]).isEqualTo(1f);
        for (int i = FeatureSpec.D_MERCHANT_FRAUD_1D; i <= FeatureSpec.D_SIMILAR_FOUND; i++) {
            assertThat(d[i]).as(spec.denseFeatures().get(i)).isZero();
        }
        assertThat(in.seq()[(seqLen - 1) * fs + FeatureSpec.S_IS_CURRENT]).isEqualTo(1f);
    }

    @Test
    void theSameInputsGiveTheSameFloatsBitForBit() {
        Random rng = new Random(11);
        List<Payment> payments = CardHistoryTest.randomPayments(rng, 200);
        FeatureEncoder other = new FeatureEncoder(FeatureSpec.fromJson(FeatureSpec.standard().toJson()));
        CardHistory a = encoder.emptyHistory();
        CardHistory b = other.emptyHistory();
        MerchantContext merchant = new MerchantContext(1, 3, 9, 20, 140, 600, 2.5, false);
        SimilarCases similar = new SimilarCases(List.of(new SimilarCase("x", 0.95), new SimilarCase("y", 0.5)),
                FeatureSpec.SIMILAR_K, false);
        for (Payment p : payments) {
            ModelInputs first = encoder.encode(p, a, merchant, similar);
            ModelInputs second = other.encode(p, b, merchant, similar);
            assertThat(first).isEqualTo(second);
            assertThat(first.toLittleEndianBytes()).isEqualTo(second.toLittleEndianBytes());
            a.update(p);
            b.update(p);
        }
    }

    @Test
    void everyInputStaysWithinAFewUnitsWhateverTheHistory() {
        Random rng = new Random(13);
        CardHistory h = encoder.emptyHistory();
        MerchantContext busy = new MerchantContext(500, 5_000, 50_000, 1, 2, 3, 0.0, false);
        for (Payment p : CardHistoryTest.randomPayments(rng, 500)) {
            ModelInputs in = encoder.encode(p, h, busy, none);
            assertFinite(in);
            for (float v : in.seq()) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(4f);
            }
            for (float v : in.dense()) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(4f);
            }
            for (float v : encoder.cardFeatures(p, h).caseVector()) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(3f);
            }
            h.update(p);
        }
        Payment huge = new Payment("huge", T0.plus(days(400)), "c", "m", Long.MAX_VALUE / 4, "EUR", null, null, null,
                null, null, null);
        assertFinite(encoder.encode(huge, h, busy, none));
    }

    @Test
    void pastPaymentsComeOldestFirstBeforeTheCurrentOne() {
        CardHistory h = encoder.emptyHistory();
        for (int i = 0; i < 3; i++) {
            h.update(at(hours(i - 3), "c", "m" + i, 10));
        }
        Payment current = at(Duration.ZERO, "c", "m1", 500);
        ModelInputs in = encoder.encode(current, h, MerchantContext.NOTHING_KNOWN, none);
        assertThat(in.seqMask()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
        float[] hoursBefore = new float[4];
        for (int k = 0; k < 4; k++) {
            hoursBefore[k] = in.seq()[(12 + k) * fs + FeatureSpec.S_HOURS_BEFORE_CURRENT];
        }
        assertThat(hoursBefore[0]).isGreaterThan(hoursBefore[1]);
        assertThat(hoursBefore[1]).isGreaterThan(hoursBefore[2]);
        assertThat(hoursBefore[3]).isZero();
        assertThat(in.seq()[13 * fs + FeatureSpec.S_SAME_MERCHANT]).isEqualTo(1f); // m1
        assertThat(in.seq()[12 * fs + FeatureSpec.S_SAME_MERCHANT]).isZero();
        assertThat(in.dense()[FeatureSpec.D_MERCHANT_NEW]).isZero();
        assertThat(in.dense()[FeatureSpec.D_AMOUNT_VS_USUAL]).isGreaterThan(1f); // 500 against a usual of 10
    }

    @Test
    void theSequenceShowsTheLastFifteenPaymentsAtMost() {
        CardHistory h = encoder.emptyHistory();
        for (int i = 0; i < 40; i++) {
            h.update(at(hours(i - 40), "c", "m", 10));
        }
        ModelInputs in = encoder.encode(at(Duration.ZERO, "c", "m", 10), h, MerchantContext.NOTHING_KNOWN, none);
        for (float m : in.seqMask()) {
            assertThat(m).isEqualTo(1f);
        }
        assertThat(in.dense()[FeatureSpec.D_CARD_COUNT_30D]).isEqualTo((float) (StrictMath.log1p(40) / 3));
    }

    @Test
    void aNewDeviceAndAFarAwayPlaceAreFlagged() {
        CardHistory h = encoder.emptyHistory();
        for (int i = 0; i < 5; i++) {
            h.update(online(hours(i - 10), "c", "m", 20, "phone"));
        }
        Payment known = online(Duration.ZERO, "c", "m", 20, "phone");
        Payment fresh = new Payment("x", T0, "c", "m", 2000, "EUR", "online_retail", "US", "online", "other-phone",
                40.7, -74.0);
        float[] k = encoder.cardFeatures(known, h).dense();
        float[] f = encoder.cardFeatures(fresh, h).dense();
        assertThat(k[FeatureSpec.D_DEVICE_NEW]).isZero();
        assertThat(f[FeatureSpec.D_DEVICE_NEW]).isEqualTo(1f);
        assertThat(k[FeatureSpec.D_DISTANCE]).isLessThan(0.5f);
        assertThat(f[FeatureSpec.D_DISTANCE]).isGreaterThan(1.5f); // Paris to New York
        assertThat(f[FeatureSpec.D_COUNTRY_NEW]).isEqualTo(1f);
        assertThat(k[FeatureSpec.D_COUNTRY_NEW]).isZero();
    }

    @Test
    void theHourOfDayIsMeanSolarTimeAtThePaymentsLongitude() {
        // 12:00 UTC at longitude 90 E is 18:00 local solar time: the hour angle is three quarters of the circle
        Payment east = new Payment("e", T0, "c", "m", 100, "EUR", null, null, null, null, 0.0, 90.0);
        Payment unknown = bare(Duration.ZERO, "c", "m", 100);
        float[] e = encoder.cardFeatures(east, encoder.emptyHistory()).dense();
        float[] u = encoder.cardFeatures(unknown, encoder.emptyHistory()).dense();
        assertThat(e[FeatureSpec.D_HOUR_SIN]).isEqualTo((float) StrictMath.sin(2 * StrictMath.PI * 0.75));
        assertThat(u[FeatureSpec.D_HOUR_SIN]).isEqualTo((float) StrictMath.sin(2 * StrictMath.PI * 0.5));
        assertThat(e[FeatureSpec.D_DOW_SIN]).isEqualTo(u[FeatureSpec.D_DOW_SIN]); // 2026-03-02 is a Monday either way
        assertThat(u[FeatureSpec.D_DOW_SIN]).isZero();
        assertThat(u[FeatureSpec.D_DOW_COS]).isEqualTo(1f);
    }

    @Test
    void retrievedContextFillsItsSlotsAndNothingElse() {
        Payment p = at(Duration.ZERO, "c", "m", 10);
        CardFeatures card = encoder.cardFeatures(p, encoder.emptyHistory());
        MerchantContext merchant = new MerchantContext(2, 4, 8, 10, 70, 300, 3.0, false);
        SimilarCases similar = new SimilarCases(List.of(new SimilarCase("a", 0.97), new SimilarCase("b", 0.91),
                new SimilarCase("c", 0.4)), FeatureSpec.SIMILAR_K, false);
        float[] d = encoder.encode(card, merchant, similar).dense();
        assertThat(java.util.Arrays.copyOf(d, FeatureSpec.D_FIRST_CONTEXT))
                .containsExactly(java.util.Arrays.copyOf(card.dense(), FeatureSpec.D_FIRST_CONTEXT));
        assertThat(d[FeatureSpec.D_MERCHANT_FRAUD_7D]).isEqualTo((float) (StrictMath.log1p(4) / 2));
        assertThat(d[FeatureSpec.D_MERCHANT_RATIO_1D]).isEqualTo((float) (2 / 11.0));
        assertThat(d[FeatureSpec.D_MERCHANT_DAYS_SINCE_FRAUD]).isEqualTo(0.1f);
        assertThat(d[FeatureSpec.D_SIMILAR_TOP1]).isEqualTo(0.97f);
        assertThat(d[FeatureSpec.D_SIMILAR_MEAN]).isEqualTo((float) ((0.97 + 0.91 + 0.4) / 3));
        assertThat(d[FeatureSpec.D_SIMILAR_ABOVE]).isEqualTo(0.2f);
        assertThat(d[FeatureSpec.D_SIMILAR_FOUND]).isEqualTo(0.3f);
        assertThat(d[FeatureSpec.D_MERCHANT_MISSING]).isZero();
        assertThat(d[FeatureSpec.D_SIMILAR_MISSING]).isZero();

        float[] row = new float[3 * spec.denseFeatureCount()];
        encoder.encodeInto(card, merchant, similar, 2, new float[3 * seqLen * fs], new float[3 * seqLen], row);
        assertThat(java.util.Arrays.copyOfRange(row, 2 * spec.denseFeatureCount(), row.length)).containsExactly(d);
    }

    @Test
    void similarCasesSearchedWithAnotherKAreRejected() {
        CardFeatures card = encoder.cardFeatures(at(Duration.ZERO, "c", "m", 10), encoder.emptyHistory());
        assertThatThrownBy(() -> encoder.encode(card, MerchantContext.NOTHING_KNOWN, SimilarCases.none(5)))
                .hasMessageContaining("k = 5");
    }

    private static void assertFinite(ModelInputs in) {
        for (float[] a : new float[][] {in.seq(), in.seqMask(), in.dense()}) {
            for (float v : a) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }
}
