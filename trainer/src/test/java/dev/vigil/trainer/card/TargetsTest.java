package dev.vigil.trainer.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void aMissedTargetSaysByHowMuchAndWhy() {
        ModelCard card = ModelCardTest.sample();

        Map<String, ModelCard.Target> targets = byName(card.targets());

        assertThat(targets.get("auc").met()).isTrue();
        assertThat(targets.get("average_precision").met()).isTrue();
        ModelCard.Target versusBaseline = targets.get("average_precision_vs_baseline");
        assertThat(versusBaseline.met()).isFalse();
        assertThat(versusBaseline.shortfall()).isEqualTo("0.0100 short");
        assertThat(versusBaseline.why()).contains("friendly_fraud (AP 0.020 vs 0.050)");
        assertThat(targets.get("auc_vs_baseline").why()).isEqualTo(
                "the baseline ranks these scenarios better: friendly_fraud (AUC 0.700 vs 0.750)");
        assertThat(targets.get("int8_ap_gap").met()).isTrue();
        assertThat(targets.get("int8_speed_up_batch64").met()).isTrue();
        assertThat(targets.get("lora_trainable_share").met()).isTrue();
    }

    @Test
    void anUndefinedMetricMissesItsTarget() {
        ModelCard.ModelMetrics undefined = new ModelCard.ModelMetrics("m", "m", null, null, null, List.of(),
                new ModelCard.Counts(0, 0, 0, 0, 0), null, null, List.of());

        List<ModelCard.Target> targets = Targets.check(undefined, null, null, null, null);

        assertThat(targets).hasSize(2).allSatisfy(t -> {
            assertThat(t.met()).isFalse();
            assertThat(t.shortfall()).isEqualTo("undefined");
        });
    }

    private static Map<String, ModelCard.Target> byName(List<ModelCard.Target> targets) {
        Map<String, ModelCard.Target> map = new java.util.HashMap<>();
        targets.forEach(t -> map.put(t.name(), t));
        return map;
    }
}
