package dev.vigil.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.LoraTarget;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.SyntheticBatches;
import dev.vigil.model.onnx.ExportedModel;
import dev.vigil.model.onnx.ServingGraphs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL training-time network, the fp32 graph and the int8 graph score the same inputs alike.
 *
 * <p>Tolerances: fp32 graph vs DJL: |dp| <= 1e-5 (same arithmetic, different kernels and summation order). int8
 * vs fp32: |dp| <= 0.02 and Spearman rank correlation >= 0.99 (dynamic per-tensor uint8 activations and
 * per-channel int8 weights; the README records the errors actually measured).
 */
class ServingParityTest {

    static final NetworkConfig CONFIG = TrainedModel.CONFIG;
    static final int BATCH = TrainedModel.BATCH;

    static TrainedModel model;
    static FraudModel djl;
    static ExportedModel exported;
    static Adapter adapter;
    static FeatureBatch batch;

    @BeforeAll
    static void trainBaseAndExport(@TempDir Path dir) {
        model = TrainedModel.trainAndExport(dir);
        djl = model.djl;
        exported = model.exported;
        adapter = model.adapter;
        batch = model.batch;
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Adapter randomAdapter(NetworkConfig config, long seed, float sigma) {
        return TrainedModel.randomAdapter(config, seed, sigma);
    }

    @Test
    void fp32GraphMatchesTheTrainingNetwork() throws Exception {
        float[] expected = djl.predict(batch).probabilities();
        try (OnnxScorer scorer = OnnxScorer.load(exported.fp32(), ScorerOptions.cpu(1), adapter)) {
            float[] actual = scorer.score(batch);
            double maxDiff = maxAbsDiff(expected, actual);
            System.out.printf("fp32 graph vs DJL: max |dp| = %.3g%n", maxDiff);
            assertThat(maxDiff).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void int8GraphStaysCloseToFp32AndTheTrainingNetwork() throws Exception {
        try (OnnxScorer fp32 = OnnxScorer.load(exported.fp32(), ScorerOptions.cpu(1), adapter);
                OnnxScorer int8 = OnnxScorer.load(exported.int8(), ScorerOptions.cpu(1), adapter)) {
            float[] reference = fp32.score(batch);
            float[] quantized = int8.score(batch);
            double maxDiff = maxAbsDiff(reference, quantized);
            double spearman = spearman(reference, quantized);
            System.out.printf("int8 vs fp32 graph: max |dp| = %.4f, mean |dp| = %.5f, Spearman = %.5f,"
                    + " p range [%.3f, %.3f]%n", maxDiff, meanAbsDiff(reference, quantized), spearman,
                    min(reference), max(reference));
            assertThat(maxDiff).isLessThanOrEqualTo(0.02);
            assertThat(spearman).isGreaterThanOrEqualTo(0.99);
            float[] training = djl.predict(batch).probabilities();
            assertThat(maxAbsDiff(training, quantized)).isLessThanOrEqualTo(0.02);
            assertThat(spearman(training, quantized)).isGreaterThanOrEqualTo(0.99);
        }
    }

    @Test
    void cardsWithoutHistoryGetFiniteProbabilitiesInBothGraphs() throws Exception {
        FeatureBatch empty = SyntheticBatches.random(CONFIG, 8, 3, 1);
        assertThat(empty.seqMask()).containsOnly(0f);
        for (Path graph : new Path[] {exported.fp32(), exported.int8()}) {
            try (OnnxScorer scorer = OnnxScorer.load(graph, ScorerOptions.cpu(1), adapter)) {
                for (float p : scorer.score(empty)) {
                    assertThat(Float.isFinite(p)).as(graph.toString()).isTrue();
                }
            }
        }
        float[] djlScores = djl.predict(empty).probabilities();
        try (OnnxScorer scorer = OnnxScorer.load(exported.fp32(), ScorerOptions.cpu(1), adapter)) {
            assertThat(maxAbsDiff(djlScores, scorer.score(empty))).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void anotherAdapterChangesScoresExactlyAsLoadingItIntoTheNetwork() throws Exception {
        Adapter other = randomAdapter(CONFIG, 12, 0.08f);
        try (FraudModel reference = FraudModel.load(djl.network().weights().base());
                OnnxScorer scorer = OnnxScorer.load(exported.fp32(), ScorerOptions.cpu(1), adapter)) {
            float[] before = scorer.score(batch);
            assertThat(scorer.adapter()).isSameAs(adapter);
            float[] after = scorer.score(batch, other);

            other.loadInto(reference.network());
            float[] expected = reference.predict(batch).probabilities();
            assertThat(maxAbsDiff(expected, after)).isLessThanOrEqualTo(1e-5);
            assertThat(maxAbsDiff(before, after)).isGreaterThan(1e-3);

            float[] base = scorer.score(batch, Adapter.zero(CONFIG));
            Adapter.zero(CONFIG).loadInto(reference.network());
            assertThat(maxAbsDiff(reference.predict(batch).probabilities(), base)).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void everyLoraPlacementAndDepthExportsAlike(@TempDir Path other) throws Exception {
        NetworkConfig config = SyntheticBatches.smallConfig().withEncoder(32, 2, 2, 64)
                .withLora(4, 4f, EnumSet.of(LoraTarget.K, LoraTarget.O, LoraTarget.FFN_DOWN, LoraTarget.HEAD));
        FeatureBatch input = SyntheticBatches.random(config, 64, 8, 5);
        try (FraudModel small = FraudModel.create(config)) {
            ExportedModel graphs = ServingGraphs.export(small.network().weights().base(), other);
            Adapter tuned = randomAdapter(config, 4, 0.1f);
            tuned.loadInto(small.network());
            float[] expected = small.predict(input).probabilities();
            try (OnnxScorer fp32 = OnnxScorer.load(graphs.fp32(), ScorerOptions.cpu(1), tuned);
                    OnnxScorer int8 = OnnxScorer.load(graphs.int8(), ScorerOptions.cpu(1), tuned)) {
                assertThat(maxAbsDiff(expected, fp32.score(input))).isLessThanOrEqualTo(1e-5);
                assertThat(maxAbsDiff(expected, int8.score(input))).isLessThanOrEqualTo(0.02);
            }
        }
    }

    @Test
    void anAdapterThatDoesNotFitTheGraphIsRejectedAndTheLoadedOneKept() throws Exception {
        NetworkConfig wider = CONFIG.withEncoder(64, 4, 1, 128);
        assertThatThrownBy(() -> OnnxScorer.load(exported.int8(), ScorerOptions.cpu(1), Adapter.zero(wider)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("graph needs");
        try (OnnxScorer scorer = OnnxScorer.load(exported.int8(), ScorerOptions.cpu(1), adapter)) {
            assertThatThrownBy(() -> scorer.score(batch, Adapter.zero(wider)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("graph needs");
            assertThat(scorer.adapter()).isSameAs(adapter);
            // another rank fits: the rank is a symbolic dimension of the graph
            NetworkConfig rank4 = CONFIG.withLora(4, 8f, CONFIG.loraTargets());
            assertThat(scorer.score(batch, randomAdapter(rank4, 3, 0.05f))).hasSize(BATCH);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(b).hasSize(a.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double meanAbsDiff(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    static float min(float[] a) {
        float m = Float.MAX_VALUE;
        for (float v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    static float max(float[] a) {
        float m = -Float.MAX_VALUE;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Spearman rank correlation (average ranks for ties). */
    static double spearman(float[] a, float[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < ra.length; i++) {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        return cov / Math.sqrt(va * vb);
    }

    private static double[] ranks(float[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(values[x], values[y]));
        double[] ranks = new double[values.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return ranks;
    }
}
