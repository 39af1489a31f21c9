package dev.vigil.trainer.card;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.evaluation.CardPrecision;
import dev.vigil.evaluation.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to trace a model's numbers back to how it was made (Tribuo's provenance habit): data and
 * windows, seed, code version, hyper-parameters, parameter counts, files, timings, the test metrics of the served
 * model and of the baseline computed with the evaluation module, int8 against fp32, latency, and the targets with
 * what was met and what was not. Written as {@code model-card.json} (snake_case; an undefined metric is null) and
 * rendered as {@code model-card.md} by {@link ModelCardMarkdown}.
 */
public record ModelCard(
        String name,
        String createdAt,
        CodeVersion code,
        Data data,
        Windows windows,
        long seed,
        Map<String, Object> hyperParameters,
        Examples examples,
        Parameters parameters,
        List<FileEntry> files,
        String baseModelSha256,
        AdapterInfo adapter,
        Training training,
        EvaluationSection evaluation,
        Quantization int8VsFp32,
        Latency latency,
        Baseline baseline,
        List<Target> targets,
        List<String> warnings,
        List<String> notes) {

    /** The evaluated model entries' ids, in {@link EvaluationSection#models} order. */
    public static final String SERVED = "int8_with_adapter";
    public static final String FP32_ADAPTER = "fp32_with_adapter";
    public static final String FP32_BASE = "fp32_base_only";
    public static final String BASELINE = "baseline_xgboost";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public void writeJson(Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), this);
    }

    public static ModelCard readJson(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), ModelCard.class);
    }

    public String toJson() throws IOException {
        return MAPPER.writeValueAsString(this);
    }

    /** The metrics of one evaluated model by id; null if absent. */
    public ModelMetrics metrics(String model) {
        if (evaluation == null) {
            return null;
        }
        return evaluation.models().stream().filter(m -> m.model().equals(model)).findFirst().orElse(null);
    }

    /** A finite double as is, NaN as null (JSON has no NaN). */
    public static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /**
     * @param rows transactions used (unreadable and duplicate rows excluded)
     * @param optionalColumns the optional CSV columns the file has (a missing one is encoded as unknown)
     */
    public record Data(String path, String sha256, long rows, long badRows, long duplicateRows, long frauds,
            String firstEventTime,
            String lastEventTime, List<String> optionalColumns) {}

    /** Every window half-open [from, to). */
    public record Windows(String trainFrom, String trainTo, String adapterFrom, String adapterTo, String testFrom,
            String testTo, int labelDelayDays, double gapDays, String protocol) {}

    /**
     * @param featureBytes bytes of float arrays held for the kept examples
     */
    public record Examples(long walked, long trainTransactions, long trainFrauds, long baseExamples,
            long baseFrauds, double negativeSampleRate, long adapterExamples, long adapterFrauds,
            long testTransactions, long testFrauds, long featureBytes) {}

    /**
     * @param trainableShare LoRA parameters / all parameters: what trains after the base is frozen
     */
    public record Parameters(long base, long lora, long total, double trainableShare) {}

    public record FileEntry(String name, long bytes, String sha256) {}

    public record AdapterInfo(String file, String version, long sequence, String parentVersion, String sha256,
            int rank, float alpha, long parameters, String trainedFrom, String trainedTo) {}

    public record Phase(int epochs, long examplesPerEpoch, long steps, List<Double> epochLosses,
            List<Float> learningRates, double seconds, double examplesPerSecond) {}

    /**
     * @param walkSeconds the point-in-time walk (features of every transaction up to the end of the test window)
     * @param wallSeconds the whole command, reading to the card
     * @param maxHeapBytes the JVM's heap limit; {@code peakHeapUsedBytes} the most used after a phase
     */
    public record Training(double readSeconds, double walkSeconds, double walkTransactionsPerSecond, Phase base,
            Phase adapter, double exportSeconds, double baselineSeconds, double scoringSeconds,
            double benchSeconds, double wallSeconds, int threads, long maxHeapBytes, long peakHeapUsedBytes) {}

    /**
     * The protocol of docs/architecture.md, "Evaluation protocol", as this run applied it.
     */
    public record Protocol(String testFrom, String testTo, int k, int labelDelayDays, String historyFrom,
            boolean knownCompromisedExcluded, int compromisedCardsInHistory, String description) {}

    public record EvaluationSection(Protocol protocol, List<ModelMetrics> models) {}

    public record DayMetrics(String day, Double precision, Double bestPossible, int cardsRanked,
            int fraudulentCards, double fraudulentCardsInTopK, int knownCompromisedCardsExcluded) {}

    public record Counts(long evaluated, long frauds, long cards, long knownCompromisedExcluded, int testDays) {}

    /**
     * @param cardPrecisionAtK the mean daily CP@k (k is the protocol's: 100 unless --k says otherwise)
     * @param averagePrecisionPerScenario AP of each fraud scenario's rows against all genuine rows (only when the
     *     data has a {@code scenario} column): what the model finds and what it misses
     * @param aucPerScenario AUC-ROC of each scenario's rows against all genuine rows, likewise
     */
    public record ModelMetrics(String model, String description, Double auc, Double averagePrecision,
            Double cardPrecisionAtK, List<DayMetrics> cardPrecisionPerDay,
            Counts counts,
            Map<String, Double> averagePrecisionPerScenario, Map<String, Double> aucPerScenario,
            List<String> notes) {

        public static ModelMetrics of(String model, String description, Evaluation e,
                Map<String, Double> apPerScenario, Map<String, Double> aucPerScenario) {
            List<DayMetrics> days = new ArrayList<>();
            CardPrecision cp = e.cardPrecision();
            for (CardPrecision.Day day : cp.days()) {
                days.add(new DayMetrics(day.day().toString(), finite(day.precision()),
                        finite(day.bestPossible(cp.k())), day.cardsRanked(), day.fraudulentCards(),
                        day.fraudulentCardsInTopK(), day.knownCompromisedCardsExcluded()));
            }
            Evaluation.Counts c = e.counts();
            return new ModelMetrics(model, description, finite(e.rocAuc()), finite(e.averagePrecision()),
                    finite(e.cardPrecisionAtK()), days,
                    new Counts(c.evaluated(), c.frauds(), c.cards(), c.knownCompromised(), c.testDays()),
                    apPerScenario, aucPerScenario, e.notes());
        }
    }

    /**
     * The served int8 graph against the fp32 graph of the same base and adapter, on the test window.
     *
     * @param apDifference AP int8 minus AP fp32
     */
    public record Quantization(Double apFp32, Double apInt8, Double apDifference, Double aucDifference,
            Double cardPrecisionDifference, double maxAbsScoreDifference, double meanAbsScoreDifference) {}

    /**
     * ONNX Runtime on the CPU, microseconds per transaction (median of {@code reps}), both graphs with the adapter.
     *
     * @param int8ResidentBytes RSS growth of the process when the int8 session was loaded and warmed; -1 unknown
     */
    public record Latency(int reps, int threads, String optimizationLevel, String runsOn, double loadAverage,
            double int8Batch1, double int8Batch64, double fp32Batch1, double fp32Batch64, double speedUpBatch1,
            double speedUpBatch64, long int8FileBytes, long fp32FileBytes, long int8ResidentBytes,
            long fp32ResidentBytes, String method) {}

    public record FeatureGain(String feature, double totalGain) {}

    public record Baseline(String kind, Map<String, Object> parameters, int rounds, int features,
            String featureDescription, long trainingExamples, double trainSeconds, List<FeatureGain> topFeatures) {}

    /**
     * One target of the issue, checked.
     *
     * @param comparison ">=", "<=" or "within"
     * @param shortfall by how much a missed target was missed (null when met)
     * @param why the reason, where the trainer can tell it (null otherwise; the module README discusses each)
     */
    public record Target(String name, String requirement, Double measured, Double threshold, String comparison,
            boolean met, String shortfall, String why) {}
}
