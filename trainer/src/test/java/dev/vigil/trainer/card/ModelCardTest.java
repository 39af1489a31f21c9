package dev.vigil.trainer.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {

    /** A card as a run would write it, with made-up numbers. */
    static ModelCard sample() {
        ModelCard.Counts counts = new ModelCard.Counts(70_000, 540, 4_900, 4_000, 7);
        List<ModelCard.DayMetrics> days = List.of(
                new ModelCard.DayMetrics("2026-02-19", 0.21, 0.5, 4_800, 50, 21, 30),
                new ModelCard.DayMetrics("2026-02-20", null, 0.4, 4_700, 40, 0, 28));
        ModelCard.ModelMetrics served = new ModelCard.ModelMetrics(ModelCard.SERVED, "served", 0.96, 0.77, 0.2, days,
                counts, Map.of("card_testing", 0.98, "friendly_fraud", 0.02),
                Map.of("card_testing", 0.999, "friendly_fraud", 0.70), List.of());
        ModelCard.ModelMetrics baseline = new ModelCard.ModelMetrics(ModelCard.BASELINE, "baseline", 0.97, 0.78, 0.19,
                days, counts, Map.of("card_testing", 0.97, "friendly_fraud", 0.05),
                Map.of("card_testing", 0.998, "friendly_fraud", 0.75), List.of());
        ModelCard.Quantization q = new ModelCard.Quantization(0.77, 0.7703, 0.0003, 0.0, 0.0, 0.01, 0.0004);
        ModelCard.Latency latency = new ModelCard.Latency(7, 1, "ALL_OPT", "cpu", 1.5, 200, 40, 220, 68, 1.1, 1.7,
                235_528, 622_664, 3_000_000, 5_000_000, "OnnxScorer");
        ModelCard.Parameters parameters = new ModelCard.Parameters(153_153, 7_168, 160_321, 7_168 / 160_321.0);
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("epochs", 4);
        hyper.put("lora_rank", 8);
        ModelCard.Phase phase = new ModelCard.Phase(4, 40_000, 632, List.of(0.04, 0.02), List.of(0.002f, 0.001f), 50, 3_200);
        return new ModelCard("sim60", "2026-03-02T10:00:00Z", new CodeVersion("0123456789abcdef0123456789abcdef01234567",
                false, null),
                new ModelCard.Data("data.csv", "ab", 653_316, 0, 0, 5_356, "2026-01-01T00:00:23Z", "2026-03-01T23:59:41Z",
                        List.of("label")),
                new ModelCard.Windows("2026-01-08T00:00:00Z", "2026-02-12T00:00:00Z", "2026-02-05T00:00:00Z",
                        "2026-02-12T00:00:00Z", "2026-02-19T00:00:00Z", "2026-02-26T00:00:00Z", 7, 7.0, "handbook"),
                42, hyper,
                new ModelCard.Examples(600_000, 380_000, 3_000, 40_000, 3_000, 0.1, 76_000, 669, 76_000, 609, 1),
                parameters, List.of(new ModelCard.FileEntry("model.int8.onnx", 235_528, "cd")), "ef",
                new ModelCard.AdapterInfo("adapter.bin", "1", 1, null, "12", 8, 16f, 7_168, "a", "b"),
                new ModelCard.Training(3, 20, 30_000, phase, phase, 1, 10, 5, 8, 150, 2, 3_000_000_000L, 1_400_000_000L),
                new ModelCard.EvaluationSection(new ModelCard.Protocol("2026-02-19T00:00:00Z", "2026-02-26T00:00:00Z",
                        100, 7, "2026-01-08T00:00:00Z", true, 120, "protocol"), List.of(served, baseline)),
                q, latency,
                new ModelCard.Baseline("XGBoost", Map.of("eta", 0.1), 300, 115, "flat", 40_000, 12, List.of()),
                Targets.check(served, baseline, q, latency, parameters), List.of(), List.of("a note"));
    }

    @Test
    void theJsonCarriesProvenanceMetricsAndTargetsInSnakeCase(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model-card.json");
        sample().writeJson(file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());

        assertThat(json.path("code").path("git_commit").asText()).hasSize(40);
        assertThat(json.path("seed").asLong()).isEqualTo(42);
        assertThat(json.path("windows").path("label_delay_days").asInt()).isEqualTo(7);
        assertThat(json.path("hyper_parameters").path("lora_rank").asInt()).isEqualTo(8);
        assertThat(json.path("parameters").path("trainable_share").asDouble()).isBetween(0.04, 0.05);
        JsonNode served = json.path("evaluation").path("models").get(0);
        assertThat(served.path("model").asText()).isEqualTo("int8_with_adapter");
        assertThat(served.path("auc").asDouble()).isEqualTo(0.96);
        assertThat(served.path("average_precision").asDouble()).isEqualTo(0.77);
        assertThat(served.path("card_precision_at_k").asDouble()).isEqualTo(0.2);
        assertThat(served.path("card_precision_per_day")).hasSize(2);
        assertThat(served.path("card_precision_per_day").get(1).path("precision").isNull()).isTrue();
        assertThat(json.path("evaluation").path("models").get(1).path("model").asText()).isEqualTo("baseline_xgboost");
        assertThat(json.path("int8_vs_fp32").path("ap_difference").asDouble()).isEqualTo(0.0003);
        assertThat(json.path("latency").path("speed_up_batch64").asDouble()).isEqualTo(1.7);
        assertThat(json.path("latency").path("int8_batch64").asDouble()).isEqualTo(40);
        assertThat(json.path("training").path("wall_seconds").asDouble()).isEqualTo(150);
        assertThat(json.path("targets").findValuesAsText("name")).contains("auc", "average_precision",
                "auc_vs_baseline", "average_precision_vs_baseline", "int8_ap_gap", "int8_speed_up_batch64",
                "lora_trainable_share");
    }

    @Test
    void theJsonReadsBackToTheSameCard(@TempDir Path dir) throws Exception {
        ModelCard card = sample();
        Path file = dir.resolve("model-card.json");
        card.writeJson(file);

        ModelCard back = ModelCard.readJson(file);

        assertThat(back.metrics(ModelCard.SERVED)).isEqualTo(card.metrics(ModelCard.SERVED));
        assertThat(back.targets()).isEqualTo(card.targets());
        assertThat(back.windows()).isEqualTo(card.windows());
    }

    @Test
    void theMarkdownPutsTheModelAndTheBaselineSideBySide(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model-card.md");
        ModelCardMarkdown.write(sample(), file);

        String md = Files.readString(file);

        assertThat(md).contains("# Model card: sim60")
                .contains("| served | 0.9600 | 0.7700 | 0.2000 | 70,000 | 540 |")
                .contains("| baseline | 0.9700 | 0.7800 | 0.1900 | 70,000 | 540 |")
                .contains("| 2026-02-19 | 0.2100 | 0.2100 |")
                .contains("| friendly_fraud | 0.0200 | 0.0500 | 0.7000 | 0.7500 |")
                .contains("## Targets")
                .contains("0123456789abcdef0123456789abcdef01234567");
    }
}
