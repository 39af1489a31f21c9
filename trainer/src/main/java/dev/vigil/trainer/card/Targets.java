package dev.vigil.trainer.card;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The targets, checked against a run's numbers: on the test window AUC >= 0.90 and AP >= 0.70 for the served
 * model and neither below the baseline; int8 AP within 0.005 of fp32; int8 at least 1.5x faster than fp32 at
 * batch 64; trainable LoRA parameters at most 5% of all. A missed target says by how much, and why where the
 * numbers of the run show it (the weakest fraud scenarios, the load on the machine).
 */
public final class Targets {

    public static final double MIN_AUC = 0.90;
    public static final double MIN_AP = 0.70;
    public static final double MAX_INT8_AP_GAP = 0.005;
    public static final double MIN_INT8_SPEED_UP = 1.5;
    public static final double MAX_LORA_SHARE = 0.05;
    /** The smallest per-scenario gap worth naming (the card prints three decimals). */
    static final double VISIBLE_GAP = 0.0005;

    private Targets() {}

    public static List<ModelCard.Target> check(ModelCard.ModelMetrics served, ModelCard.ModelMetrics baseline,
            ModelCard.Quantization quantization, ModelCard.Latency latency, ModelCard.Parameters parameters) {
        List<ModelCard.Target> targets = new ArrayList<>();
        targets.add(atLeast("auc", "AUC-ROC of the served model (int8 + adapter) >= 0.90", served.auc(), MIN_AUC,
                weakestScenarios(served)));
        targets.add(atLeast("average_precision", "average precision of the served model >= 0.70",
                served.averagePrecision(), MIN_AP, weakestScenarios(served)));
        if (baseline != null) {
            targets.add(atLeast("auc_vs_baseline", "AUC-ROC not below the baseline's ("
                    + format(baseline.auc()) + ")", served.auc(), orNaN(baseline.auc()),
                    versus("AUC", served.aucPerScenario(), baseline.aucPerScenario())));
            targets.add(atLeast("average_precision_vs_baseline", "average precision not below the baseline's ("
                    + format(baseline.averagePrecision()) + ")", served.averagePrecision(),
                    orNaN(baseline.averagePrecision()),
                    versus("AP", served.averagePrecisionPerScenario(), baseline.averagePrecisionPerScenario())));
        }
        if (quantization != null) {
            Double gap = quantization.apDifference() == null ? null : Math.abs(quantization.apDifference());
            boolean met = gap != null && gap <= MAX_INT8_AP_GAP;
            targets.add(new ModelCard.Target("int8_ap_gap", "|AP int8 - AP fp32| <= 0.005", gap, MAX_INT8_AP_GAP,
                    "<=", met, met || gap == null ? null : String.format(Locale.ROOT, "%.4f over", gap
                    - MAX_INT8_AP_GAP), met ? null : "int8 rounding of the encoder projections moves scores by up to "
                    + String.format(Locale.ROOT, "%.4f", quantization.maxAbsScoreDifference())
                    + ", which reorders transactions near the top of the ranking"));
        }
        if (latency != null) {
            double s = latency.speedUpBatch64();
            boolean met = s >= MIN_INT8_SPEED_UP;
            targets.add(new ModelCard.Target("int8_speed_up_batch64", "int8 >= 1.5x faster than fp32 at batch 64",
                    finite(s), MIN_INT8_SPEED_UP, ">=", met,
                    met ? null : String.format(Locale.ROOT, "%.2fx short", MIN_INT8_SPEED_UP - s),
                    met ? null : String.format(Locale.ROOT, "measured with a load average of %.1f on %d cores; "
                            + "activation quantization, LayerNorm, softmax and the LoRA path do not get faster with "
                            + "int8 weights", latency.loadAverage(), Runtime.getRuntime().availableProcessors())));
        }
        if (parameters != null) {
            double share = parameters.trainableShare();
            boolean met = share <= MAX_LORA_SHARE;
            targets.add(new ModelCard.Target("lora_trainable_share", "trainable LoRA parameters <= 5% of all",
                    share, MAX_LORA_SHARE, "<=", met,
                    met ? null : String.format(Locale.ROOT, "%.2f points over", 100 * (share - MAX_LORA_SHARE)),
                    met ? null : "the rank or the adapted projections are too large for the encoder width"));
        }
        return targets;
    }

    private static ModelCard.Target atLeast(String name, String requirement, Double measured, double threshold,
            String why) {
        boolean met = measured != null && !Double.isNaN(threshold) && measured >= threshold;
        String shortfall = met ? null : measured == null || Double.isNaN(threshold) ? "undefined"
                : String.format(Locale.ROOT, "%.4f short", threshold - measured);
        return new ModelCard.Target(name, requirement, measured, finite(threshold), ">=", met, shortfall,
                met ? null : why);
    }

    /** The two scenarios the model ranks worst, as "compromised_card AP 0.41, friendly_fraud AP 0.02". */
    static String weakestScenarios(ModelCard.ModelMetrics metrics) {
        Map<String, Double> perScenario = metrics.averagePrecisionPerScenario();
        if (perScenario == null || perScenario.isEmpty()) {
            return null;
        }
        List<String> weakest = perScenario.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .sorted(Map.Entry.comparingByValue())
                .limit(2)
                .map(e -> e.getKey() + " AP " + format(e.getValue()))
                .toList();
        return "weakest fraud scenarios: " + String.join(", ", weakest);
    }

    /** The scenarios where the baseline ranks better than the model by {@code metric}, largest gap first. */
    static String versus(String metric, Map<String, Double> ours, Map<String, Double> theirs) {
        if (ours == null || theirs == null || ours.isEmpty()) {
            return null;
        }
        List<String> gaps = ours.keySet().stream()
                .filter(s -> ours.get(s) != null && theirs.get(s) != null
                        && theirs.get(s) - ours.get(s) >= VISIBLE_GAP)
                .sorted(Comparator.comparingDouble(s -> ours.get(s) - theirs.get(s)))
                .limit(3)
                .map(s -> String.format(Locale.ROOT, "%s (%s %.3f vs %.3f)", s, metric, ours.get(s), theirs.get(s)))
                .toList();
        return gaps.isEmpty() ? null : "the baseline ranks these scenarios better: " + String.join(", ", gaps);
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    static String format(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }
}
