package dev.vigil.trainer;

import dev.vigil.model.ModelDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.onnx.ServingGraphs;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil train} end to end on a small generated history with only the required columns and {@code label}:
 * the model directory is complete, its graphs load in the scorer with its adapter, and the card has the metrics;
 * then {@code vigil bench model} on it.
 */
class TrainCommandIT {

    @TempDir
    static Path dir;

    static Path model;
    static String trainOut;
    static String trainErr;
    static int trainExit;

    static Path csv;

    @BeforeAll
    static void train() throws IOException {
        csv = dir.resolve("history.csv");
        SmallHistory.write(csv, 45, 400, 80, 7);
        model = dir.resolve("models").resolve("small");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        trainExit = train(model, out, err);
        trainOut = out.toString();
        trainErr = err.toString();
    }

    private static int train(Path into, StringWriter out, StringWriter err) {
        CommandLine command = new CommandLine(new TrainCommand());
        command.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        return command.execute("--data", csv.toString(), "--train-from", "2026-01-08", "--train-to",
                "2026-01-29", "--out", into.toString(), "--epochs", "1", "--adapter-epochs", "1",
                "--negative-sample", "0.3", "--baseline-rounds", "20", "--bench-reps", "1", "--threads", "2");
    }

    @Test
    void theSameDataAndSeedGiveTheSameModelBitForBit() throws Exception {
        Path again = dir.resolve("models").resolve("again");
        StringWriter out = new StringWriter();
        assertThat(train(again, out, new StringWriter())).as(out.toString()).isZero();

        for (String file : List.of(ModelDirectory.INT8, ModelDirectory.FP32, ModelDirectory.ADAPTER,
                ModelDirectory.BASE_WEIGHTS, ModelDirectory.BASELINE)) {
            assertThat(again.resolve(file)).as(file).hasSameBinaryContentAs(model.resolve(file));
        }
        JsonNode first = new ObjectMapper().readTree(model.resolve(ModelDirectory.CARD_JSON).toFile());
        JsonNode second = new ObjectMapper().readTree(again.resolve(ModelDirectory.CARD_JSON).toFile());
        assertThat(second.path("evaluation").path("models")).isEqualTo(first.path("evaluation").path("models"));
    }

    @Test
    void writesACompleteModelDirectory() {
        assertThat(trainExit).as(trainOut + trainErr).isZero();
        assertThat(new ModelDirectory(model).missingFiles()).isEmpty();
        assertThat(trainOut).contains("served: int8 graph + adapter").contains("baseline: XGBoost");
        assertThat(trainErr).contains("base     epoch 1/1").contains("ex/s").contains("ETA");
    }

    @Test
    void theGraphsLoadInTheScorerWithTheModelsAdapterAndFeatureSpec() throws Exception {
        ModelDirectory directory = new ModelDirectory(model);
        Adapter adapter = directory.adapter();
        FeatureSpec spec = FeatureSpec.fromJson(Files.readString(directory.file(ModelDirectory.FEATURE_SPEC)));
        assertThat(spec).isEqualTo(FeatureSpec.standard());
        assertThat(directory.networkConfig().seqFeatures()).isEqualTo(spec.seqFeatureCount());
        assertThat(directory.baseModelHash()).isEqualTo(ServingGraphs.sha256(directory.int8()));
        JsonNode adapterMeta = new ObjectMapper().readTree(directory.file(ModelDirectory.ADAPTER_META).toFile());
        assertThat(adapterMeta.path("base_model_hash").asText()).isEqualTo(directory.baseModelHash());
        assertThat(adapterMeta.path("sha256").asText()).isEqualTo(adapter.sha256());
        assertThat(adapterMeta.path("version").asText()).isEqualTo("1");

        int n = 8;
        FeatureBatch batch = new FeatureBatch(n, new float[n * spec.seqLen() * spec.seqFeatureCount()],
                ones(n * spec.seqLen()), new float[n * spec.denseFeatureCount()]);
        for (Path graph : List.of(directory.int8(), directory.fp32())) {
            try (OnnxScorer scorer = OnnxScorer.load(graph, ScorerOptions.cpu(1), adapter)) {
                float[] scores = scorer.score(batch);
                assertThat(scores).hasSize(n);
                for (float p : scores) {
                    assertThat(p).isBetween(0f, 1f);
                }
            }
        }
    }

    @Test
    void theModelCardHasTheTestMetricsOfTheModelAndTheBaseline() throws Exception {
        JsonNode card = new ObjectMapper().readTree(model.resolve(ModelDirectory.CARD_JSON).toFile());

        JsonNode models = card.path("evaluation").path("models");
        assertThat(models.findValuesAsText("model")).containsExactly("int8_with_adapter", "fp32_with_adapter",
                "fp32_base_only", "baseline_xgboost");
        for (JsonNode m : models) {
            assertThat(m.path("auc").isNumber()).as(m.toString()).isTrue();
            assertThat(m.path("average_precision").isNumber()).isTrue();
            assertThat(m.path("card_precision_at_k").isNumber()).isTrue();
            assertThat(m.path("card_precision_per_day")).hasSize(7);
        }
        // learnable frauds: the served model ranks far better than chance
        assertThat(models.get(0).path("auc").asDouble()).isGreaterThan(0.7);
        assertThat(card.path("evaluation").path("protocol").path("label_delay_days").asInt()).isEqualTo(7);
        assertThat(card.path("windows").path("test_from").asText()).isEqualTo("2026-02-05T00:00:00Z");
        assertThat(card.path("data").path("optional_columns").toString()).isEqualTo("[\"label\"]");
        assertThat(card.path("int8_vs_fp32").path("ap_difference").isNumber()).isTrue();
        assertThat(card.path("latency").path("int8_batch64").asDouble()).isPositive();
        assertThat(card.path("parameters").path("trainable_share").asDouble()).isBetween(0.0, 0.05);
        assertThat(card.path("targets")).hasSize(7);
        assertThat(card.path("files").findValuesAsText("name")).contains("model.int8.onnx", "adapter.bin");
        assertThat(Files.readString(model.resolve(ModelDirectory.CARD_MD))).contains("| served: int8 graph + adapter |");
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    /**
     * A tiny simulator-like history in the canonical CSV with only the required columns and {@code label}: cards that
     * pay a few regular merchants about their usual amount, compromised merchants (every payment there is fraud for
     * ten days) and stolen cards (a burst of large payments within an hour).
     */
    static final class SmallHistory {

        private record Row(String id, Instant time, String card, String merchant, long cents, int label) {}

        static void write(Path file, int days, int cards, int merchants, long seed) throws IOException {
            SplittableRandom random = new SplittableRandom(seed);
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            int[][] regulars = new int[cards][5];
            double[] usual = new double[cards];
            for (int c = 0; c < cards; c++) {
                for (int r = 0; r < 5; r++) {
                    regulars[c][r] = random.nextInt(merchants);
                }
                usual[c] = Math.exp(3 + random.nextGaussian() * 0.6);
            }
            int[] compromisedFrom = new int[merchants];
            java.util.Arrays.fill(compromisedFrom, Integer.MAX_VALUE);
            for (int day : new int[] {5, 12, 19, 26, 33, 38}) {
                compromisedFrom[random.nextInt(merchants)] = day;
            }
            List<Row> rows = new ArrayList<>();
            for (int day = 0; day < days; day++) {
                Instant midnight = start.plus(Duration.ofDays(day));
                for (int c = 0; c < cards; c++) {
                    int payments = poisson(random, 1.6);
                    for (int p = 0; p < payments; p++) {
                        Instant t = midnight.plusSeconds(6 * 3600 + random.nextInt(16 * 3600));
                        int m = random.nextDouble() < 0.85 ? regulars[c][random.nextInt(5)] : random.nextInt(merchants);
                        long cents = Math.max(100, Math.round(usual[c] * Math.exp(random.nextGaussian() * 0.3) * 100));
                        boolean fraud = day >= compromisedFrom[m] && day < compromisedFrom[m] + 10;
                        rows.add(new Row(null, t, "c" + c, "m" + m, cents, fraud ? 1 : 0));
                    }
                    if (random.nextDouble() < 0.003) {
                        Instant t = midnight.plusSeconds(random.nextInt(20 * 3600));
                        int burst = 3 + random.nextInt(4);
                        for (int b = 0; b < burst; b++) {
                            long cents = Math.round(usual[c] * (5 + random.nextDouble() * 5) * 100);
                            rows.add(new Row(null, t.plusSeconds(60L * b + random.nextInt(60)), "c" + c,
                                    "m" + random.nextInt(merchants), cents, 1));
                        }
                    }
                }
            }
            rows.sort(Comparator.comparing(Row::time));
            try (BufferedWriter w = Files.newBufferedWriter(file)) {
                w.write("transaction_id,event_time,card_id,merchant_id,amount,label\n");
                int id = 0;
                for (Row r : rows) {
                    w.write(String.format(Locale.ROOT, "t%d,%s,%s,%s,%d.%02d,%d%n", ++id, r.time(), r.card(),
                            r.merchant(), r.cents() / 100, r.cents() % 100, r.label()));
                }
            }
        }

        private static int poisson(SplittableRandom random, double mean) {
            double l = Math.exp(-mean);
            double p = 1;
            int k = 0;
            do {
                k++;
                p *= random.nextDouble();
            } while (p > l);
            return k - 1;
        }
    }
}
