package dev.vigil.trainer.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.schemas.Money;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.trainer.examples.ExampleSet;
import dev.vigil.trainer.examples.NegativeSampling;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The walk on a hand-built history of a few payments, with the train window [Jan 1, Jan 13), the gap, and the test
 * window [Jan 20, Jan 27); label delay 7 days.
 */
class PointInTimeWalkTest {

    private static final FeatureEncoder ENCODER = FeatureEncoder.standard();
    private static final FeatureSpec SPEC = ENCODER.spec();
    private static final TrainingWindows WINDOWS = TrainingWindows.resolve(
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-13T00:00:00Z"), null, null,
            Duration.ofDays(7), 7, 7);

    /** In event-time order, as TransactionHistory hands them over. */
    private static final List<CsvTransaction> HISTORY = TransactionHistory.of(List.of(
            row("a1", "2026-01-01T10:00:00Z", "A", "M1", "20.00", 0),
            row("a2", "2026-01-01T12:00:00Z", "A", "M2", "30.00", 0),
            row("f1", "2026-01-02T10:00:00Z", "B", "M1", "500.00", 1),      // chargeback 2026-01-09T10:00
            row("u1", "2026-01-03T10:00:00Z", "B", "M2", "5.00", null),      // unlabeled: walked, never kept
            row("c1", "2026-01-09T09:59:59Z", "C", "M1", "25.00", 0),       // one second before the chargeback
            row("c2", "2026-01-09T10:00:00Z", "C", "M1", "25.00", 0),       // the chargeback's own instant
            row("g1", "2026-01-15T10:00:00Z", "A", "M3", "40.00", 1),       // gap; chargeback 2026-01-22T10:00
            row("d1", "2026-01-21T10:00:00Z", "D", "M1", "15.00", 0),       // test
            row("d2", "2026-01-22T12:00:00Z", "D", "M3", "15.00", 0),       // test, after g1's chargeback
            row("z1", "2026-02-01T10:00:00Z", "D", "M3", "15.00", 0)))      // after the test window
            .transactions();

    private static PointInTimeWalk.Result walk(int threads) {
        return new PointInTimeWalk(ENCODER, WINDOWS, NegativeSampling.none(1), threads).run(HISTORY);
    }

    @Test
    void keepsTheLabeledTrainAndTestTransactionsAndCountsWhatItWalked() {
        PointInTimeWalk.Result result = walk(1);
        PointInTimeWalk.Counts c = result.counts();

        assertThat(c.walked()).isEqualTo(9);                  // z1 is after the test window
        assertThat(c.trainTransactions()).isEqualTo(5);       // a1 a2 f1 c1 c2
        assertThat(c.trainFrauds()).isEqualTo(1);
        assertThat(c.unlabeledSkipped()).isEqualTo(1);
        assertThat(c.testTransactions()).isEqualTo(2);
        assertThat(c.chargebacks()).isEqualTo(2);             // f1 (published Jan 9), g1 (Jan 22)
        assertThat(result.train().size()).isEqualTo(5);
        assertThat(result.baseIndices()).containsExactly(0, 1, 2, 3, 4);
        assertThat(result.adapterIndices()).containsExactly(3, 4); // [Jan 6, Jan 13): c1, c2
        assertThat(result.train().fraud(2)).isTrue();
        assertThat(result.testRows()).extracting(CsvTransaction::transactionId).containsExactly("d1", "d2");
    }

    @Test
    void cardFeaturesAreComputedFromTheCardBeforeThePayment() {
        ExampleSet train = walk(1).train();

        float[] first = dense(train, 0);   // a1: the card's first payment
        float[] second = dense(train, 1);  // a2: one payment before it, two hours earlier

        assertThat(first[index("card_no_history")]).isEqualTo(1f);
        assertThat(first[index("card_count_1d")]).isZero();
        assertThat(second[index("card_no_history")]).isZero();
        assertThat(second[index("card_count_1d")]).isEqualTo((float) (StrictMath.log1p(1) / 3));
        assertThat(realPositions(train, 0)).isEqualTo(1);   // only the payment itself
        assertThat(realPositions(train, 1)).isEqualTo(2);   // a1, then a2
    }

    @Test
    void aFraudLabelReachesTheMerchantContextOnlyAtItsLabelTime() {
        PointInTimeWalk.Result result = walk(1);
        float oneFraud = (float) (StrictMath.log1p(1) / 2);

        float[] justBefore = dense(result.train(), 3); // c1 at 09:59:59, chargeback of f1 at 10:00:00
        float[] atLabelTime = dense(result.train(), 4);
        assertThat(justBefore[index("merchant_fraud_30d")]).isZero();
        assertThat(atLabelTime[index("merchant_fraud_1d")]).isEqualTo(oneFraud);

        float[] d1 = dense(result.test(), 0);          // Jan 21 at M1: f1's label is 12 days old
        float[] d2 = dense(result.test(), 1);          // Jan 22 12:00 at M3: g1's label two hours old
        assertThat(d1[index("merchant_fraud_7d")]).isZero();
        assertThat(d1[index("merchant_fraud_30d")]).isEqualTo(oneFraud);
        assertThat(d2[index("merchant_fraud_1d")]).isEqualTo(oneFraud);
    }

    @Test
    void parallelRetrievalGivesTheSameInputsAsTheOrderedWalk() {
        PointInTimeWalk.Result one = walk(1);
        PointInTimeWalk.Result two = walk(2);

        for (ExampleSet[] pair : List.of(new ExampleSet[] {one.train(), two.train()},
                new ExampleSet[] {one.test(), two.test()})) {
            assertThat(pair[1].size()).isEqualTo(pair[0].size());
            for (int i = 0; i < pair[0].size(); i++) {
                assertThat(dense(pair[1], i)).containsExactly(dense(pair[0], i));
            }
        }
    }

    @Test
    void genuineTransactionsAreSampledForTheBaseButTheAdapterWindowKeepsThemAll() {
        PointInTimeWalk.Result result = new PointInTimeWalk(ENCODER, WINDOWS, new NegativeSampling(1e-9, 1), 1)
                .run(HISTORY);

        assertThat(result.counts().baseExamples()).isEqualTo(1);      // only the fraud
        assertThat(result.counts().adapterExamples()).isEqualTo(2);   // c1 and c2, sampled or not
        assertThat(result.train().size()).isEqualTo(3);
        assertThat(result.train().weight(0)).isEqualTo(1f);            // f1, in the base: a fraud weighs 1
    }

    private static int index(String denseFeature) {
        int i = SPEC.denseFeatures().indexOf(denseFeature);
        assertThat(i).as(denseFeature).isNotNegative();
        return i;
    }

    private static float[] dense(ExampleSet set, int i) {
        float[] out = new float[set.denseFeatures()];
        set.copyDense(i, out, 0);
        return out;
    }

    private static int realPositions(ExampleSet set, int i) {
        float[] mask = new float[set.seqLen()];
        set.copyMask(i, mask, 0);
        int n = 0;
        for (float m : mask) {
            n += m > 0.5f ? 1 : 0;
        }
        return n;
    }

    private static CsvTransaction row(String id, String time, String card, String merchant, String amount,
            Integer label) {
        return new CsvTransaction(id, Instant.parse(time), card, merchant, Money.parse(amount, "EUR"), null, null,
                null, null, null, null, label, null);
    }
}
