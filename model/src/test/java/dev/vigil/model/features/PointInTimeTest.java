package dev.vigil.model.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.context.CaseLabel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No feature of a transaction uses anything after its event time, labels not yet published included: each
 * transaction's inputs from the whole history equal, bit for bit, its inputs from the history cut at its event time
 * (payments before it, and only the labels published by then).
 */
class PointInTimeTest {

    @TempDir
    static Path dir;
    static SyntheticHistory history;
    static Map<String, ModelInputs> fromFullHistory;

    @BeforeAll
    static void encodeTheFullHistory() throws Exception {
        history = SyntheticHistory.generate(dir.resolve("history.csv"), 7, 25, 9, 20);
        fromFullHistory = new PointInTimeFeatures(FeatureEncoder.standard(), 2).encodeAll(history.payments, history.labels);
    }

    @Test
    void everyTransactionGetsTheSameInputsFromTheHistoryCutAtItsEventTime() {
        PointInTimeFeatures pipeline = new PointInTimeFeatures(FeatureEncoder.standard(), 1);
        int compared = 0;
        for (Payment target : history.payments) {
            Instant t = target.eventTime();
            List<Payment> before = new ArrayList<>();
            for (Payment p : history.payments) {
                if (p.eventTime().isBefore(t) || p == target) {
                    before.add(p);
                }
            }
            List<CaseLabel> published = history.labels.stream().filter(l -> !l.labelTime().isAfter(t)).toList();
            ModelInputs cut = pipeline.encodeAll(before, published).get(target.transactionId());
            assertThat(cut).as("inputs of %s at %s", target.transactionId(), t)
                    .isEqualTo(fromFullHistory.get(target.transactionId()));
            compared++;
        }
        assertThat(compared).isEqualTo(history.payments.size());
    }

    /** The proof above is only worth something if the history holds what could leak. */
    @Test
    void theHistoryHoldsFutureLabelsAndNonTrivialContextThatCouldLeak() {
        FeatureSpec spec = FeatureSpec.standard();
        int merchantFraud7d = spec.denseFeatures().indexOf("merchant_fraud_7d");
        int similarFound = spec.denseFeatures().indexOf("similar_found");
        long withMerchantFraud = fromFullHistory.values().stream().filter(in -> in.dense()[merchantFraud7d] > 0).count();
        long withSimilarCases = fromFullHistory.values().stream().filter(in -> in.dense()[similarFound] > 0).count();
        // payments made while a fraud at their merchant had happened but was not yet charged back
        long withUnpublishedFraudAtMerchant = history.payments.stream().filter(p -> history.rows.stream().anyMatch(r ->
                r.isFraud() && r.merchantId().equals(p.merchantId()) && r.eventTime().isBefore(p.eventTime())
                        && r.eventTime().plus(SyntheticHistory.LABEL_DELAY).isAfter(p.eventTime()))).count();

        assertThat(history.payments).hasSizeGreaterThan(800);
        assertThat(history.labels).hasSizeGreaterThan(40);
        assertThat(withMerchantFraud).isGreaterThan(50);
        assertThat(withSimilarCases).isGreaterThan(200);
        assertThat(withUnpublishedFraudAtMerchant).isGreaterThan(100);
    }

    @Test
    void theParallelPipelineGivesTheSameInputsAsTheSequentialOne() {
        Map<String, ModelInputs> sequential = new PointInTimeFeatures(FeatureEncoder.standard(), 1)
                .encodeAll(history.payments, history.labels);
        assertThat(sequential).isEqualTo(fromFullHistory);
    }
}
