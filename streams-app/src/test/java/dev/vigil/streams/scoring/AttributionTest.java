package dev.vigil.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCases;
import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.model.scoring.SplitGraphs;
import dev.vigil.simulator.generate.PaymentSimulator;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.testkit.SeededModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reasons computed on the graph's halves are those of whole rows, for a fraction of the model's work. */
class AttributionTest {

    @Test
    void theHalvesGiveTheSameReasonsAsWholeRows() throws Exception {
        ModelDirectory model = new ModelDirectory(SeededModel.directory());
        FeatureEncoder encoder = new FeatureEncoder(model.featureSpec());
        Adapter adapter = SeededModel.constantAdapter(model.adapter(), 0.02f); // the halves take the adapter too
        FeatureBatch batch = batch(encoder, 48);
        int[] rows = {0, 5, 17, 30, 47};
        Attribution attribution = new Attribution(model.featureSpec());
        try (OnnxScorer scorer = OnnxScorer.load(model.int8(), ScorerOptions.cpu(1), adapter);
             SplitGraphs split = SplitGraphs.load(model, ScorerOptions.cpu(1)).orElseThrow()) {
            float[] logits = scorer.scoreWithLogits(batch, adapter).logits();
            int groups = attribution.groups().size();
            List<List<Attribution.Reason>> whole = attribution.explain(batch, rows, logits,
                    b -> scorer.scoreWithLogits(b, adapter).logits(), groups);
            List<List<Attribution.Reason>> halves = attribution.explain(batch, rows, split, adapter, groups);

            assertThat(halves).hasSize(rows.length);
            double largest = 0;
            for (int r = 0; r < rows.length; r++) {
                Map<String, Double> expected = new HashMap<>();
                whole.get(r).forEach(x -> expected.put(x.group(), x.contribution()));
                assertThat(halves.get(r)).isNotEmpty();
                for (Attribution.Reason x : halves.get(r)) {
                    // the base logit of the whole-row method comes from the batch of 48; int8 activation scales are
                    // per batch, so the two differ by rounding, never by more than a few thousandths of a logit
                    assertThat(x.contribution()).as("%s of row %d", x.group(), rows[r])
                            .isCloseTo(expected.getOrDefault(x.group(), 0.0), within(0.02));
                    largest = Math.max(largest, Math.abs(x.contribution() - expected.getOrDefault(x.group(), 0.0)));
                }
            }
            assertThat(halves.stream().flatMap(List::stream).mapToDouble(x -> Math.abs(x.contribution())).max()
                    .orElseThrow()).as("the reasons are not trivially zero").isGreaterThan(0.05);
            System.out.printf("largest difference halves vs whole rows: %.2e%n", largest);
        }
    }

    /** Real payments' inputs: card features over each card's history in order, context as known. */
    static FeatureBatch batch(FeatureEncoder encoder, int n) {
        List<Payment> payments = new PaymentSimulator(SimulationConfig.of(3, 100, 50, 9)).transactions().limit(400)
                .map(Payment::of).toList();
        int seqRow = encoder.spec().seqLen() * encoder.spec().seqFeatureCount();
        float[] seq = new float[n * seqRow];
        float[] mask = new float[n * encoder.spec().seqLen()];
        float[] dense = new float[n * encoder.spec().denseFeatureCount()];
        Map<String, CardHistory> cards = new HashMap<>();
        int row = 0;
        for (int i = 0; i < payments.size(); i++) {
            Payment p = payments.get(i);
            CardHistory state = cards.computeIfAbsent(p.cardId(), c -> encoder.emptyHistory());
            if (i >= payments.size() - n) {
                encoder.encodeInto(encoder.cardFeatures(p, state), new MerchantContext(1, 2, 3, 40, 300, 900, 0.5,
                        false), SimilarCases.none(encoder.spec().similarK()), row++, seq, mask, dense);
            }
            state.update(p);
        }
        return new FeatureBatch(n, seq, mask, dense);
    }
}
