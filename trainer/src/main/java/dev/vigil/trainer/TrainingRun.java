package dev.vigil.trainer;

import dev.vigil.model.ModelDirectory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.evaluation.AveragePrecision;
import dev.vigil.evaluation.Evaluation;
import dev.vigil.evaluation.FraudEvaluator;
import dev.vigil.evaluation.KnownCompromisedCards;
import dev.vigil.evaluation.RocAuc;
import dev.vigil.evaluation.ScoredTransaction;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.network.ParameterCount;
import dev.vigil.model.network.TrainingOptions;
import dev.vigil.model.onnx.ExportedModel;
import dev.vigil.model.onnx.ServingGraphs;
import dev.vigil.model.scoring.GraphSignature;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.digest.Sha256;
import dev.vigil.trainer.baseline.BaselineFeatures;
import dev.vigil.trainer.baseline.XgboostBaseline;
import dev.vigil.trainer.card.ServingLatency;
import dev.vigil.trainer.card.CodeVersion;
import dev.vigil.trainer.card.ModelCard;
import dev.vigil.trainer.card.ModelCardMarkdown;
import dev.vigil.trainer.card.Targets;
import dev.vigil.trainer.examples.ExampleSet;
import dev.vigil.trainer.examples.NegativeSampling;
import dev.vigil.trainer.fitting.NetworkFitting;
import dev.vigil.trainer.fitting.TrainingProgress;
import dev.vigil.trainer.history.PointInTimeWalk;
import dev.vigil.trainer.history.TrainingWindows;
import dev.vigil.trainer.history.TransactionHistory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One training run, start to finish: read the history, walk it point in time, train the base (BASE phase) and
 * export it (fp32 and int8 ONNX), train the first adapter on the most recent part of the train window with the
 * base frozen (ADAPTER phase), train the XGBoost baseline on the same features, score the test window with the
 * ONNX scorer (int8 and fp32, with the adapter) and the baseline, evaluate every score with the evaluation module,
 * time the two graphs, and write the model directory with its model card ({@link ModelDirectory}).
 *
 * <p>Seeded: the negative sample, the batch order of both phases, the network's initial weights and the baseline's
 * sampling all derive from {@link Options#seed}; with the same data, options and thread count the weights are the
 * same bit for bit.
 */
public final class TrainingRun {

    /** Batch size of test scoring. */
    private static final int SCORING_BATCH = 512;
    /** The probability at or above which a transaction counts as alerted (for the evaluation's alert outcome). */
    static final double ALERT_THRESHOLD = 0.5;

    /**
     * Everything a run is told (the command's options, validated there).
     *
     * @param testFrom null: one label delay after {@code trainTo}
     * @param testTo null: {@code testDays} after the test start
     */
    public record Options(
            Path data, Path out, Instant trainFrom, Instant trainTo, Instant testFrom, Instant testTo, int testDays,
            Duration labelDelay, int adapterDays, int epochs, int decayEpochs, int adapterEpochs, int batchSize,
            float learningRate,
            float adapterLearningRate, float positiveWeight, double negativeSample, long seed, int loraRank,
            float loraAlpha, int denseHidden, int headHidden, int threads, int torchThreads, int baselineRounds,
            int benchReps, int k,
            List<String> notes) {

        public Options {
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        /** The hyper-parameters as the model card lists them. */
        Map<String, Object> hyperParameters(NetworkConfig config) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("d_model", config.dModel());
            h.put("heads", config.heads());
            h.put("layers", config.layers());
            h.put("ffn_dim", config.ffnDim());
            h.put("dense_hidden", config.denseHidden());
            h.put("head_hidden", config.headHidden());
            h.put("seq_len", config.seqLen());
            h.put("lora_rank", config.loraRank());
            h.put("lora_alpha", config.loraAlpha());
            h.put("lora_targets", config.loraTargets().stream().map(Enum::name).toList());
            h.put("epochs", epochs);
            h.put("learning_rate_decay_epochs", decayEpochs);
            h.put("adapter_epochs", adapterEpochs);
            h.put("adapter_days", adapterDays);
            h.put("batch_size", batchSize);
            h.put("learning_rate", learningRate);
            h.put("adapter_learning_rate", adapterLearningRate);
            h.put("optimizer", "Adam, no weight decay; the base's rate halves at each of its last "
                    + decayEpochs + " epochs (fresh Adam moments at each change)");
            h.put("loss", "weighted binary cross-entropy on the logit");
            h.put("positive_weight", positiveWeight);
            h.put("negative_sample_rate", negativeSample);
            h.put("label_delay_days", labelDelay.toDays());
            h.put("threads", threads);
            h.put("torch_threads", torchThreads);
            return h;
        }
    }

    private final Options options;
    private final PrintWriter out;
    private final PrintWriter err;
    private final TrainingProgress progress;
    private long peakHeap;

    public TrainingRun(Options options, PrintWriter out, PrintWriter err, TrainingProgress progress) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.progress = progress;
    }

    /** What the history gave: the walk and what evaluation needs of the rest. */
    private record Prepared(TrainingWindows windows, PointInTimeWalk.Result walk, KnownCompromisedCards known,
            ModelCard.Data data, double readSeconds, List<String> warnings, boolean hasScenarios) {}

    /** Runs everything and returns the model card (also written into the model directory). */
    public ModelCard run() throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(options.out());
        ModelDirectory directory = new ModelDirectory(options.out());
        FeatureEncoder encoder = FeatureEncoder.standard();
        FeatureSpec spec = encoder.spec();

        Prepared prepared = prepare(encoder);
        TrainingWindows windows = prepared.windows();
        PointInTimeWalk.Result walk = prepared.walk();
        PointInTimeWalk.Counts counts = walk.counts();
        noteHeap();

        NetworkConfig defaults = NetworkConfig.defaults(spec.seqLen(), spec.seqFeatureCount(),
                spec.denseFeatureCount());
        NetworkConfig config = new NetworkConfig(defaults.seqLen(), defaults.seqFeatures(), defaults.denseFeatures(),
                defaults.dModel(), defaults.heads(), defaults.layers(), defaults.ffnDim(),
                options.denseHidden() > 0 ? options.denseHidden() : defaults.denseHidden(),
                options.headHidden() > 0 ? options.headHidden() : defaults.headHidden(),
                options.loraRank(), options.loraAlpha(), defaults.loraTargets(), options.seed());
        ParameterCount parameterCount;
        NetworkFitting.Report baseReport;
        NetworkFitting.Report adapterReport;
        ExportedModel exported;
        Adapter adapter;
        double exportSeconds;
        try (FraudModel model = FraudModel.create(config)) {
            parameterCount = model.network().parameterCount();
            out.printf(Locale.ROOT, "network: %s; %s%n", describe(config), parameterCount);
            out.flush();
            baseReport = NetworkFitting.fit("base", rate -> model.newTrainer(TrainingOptions.base()
                            .withLearningRate(rate).withPositiveWeight(options.positiveWeight())),
                    walk.train(), walk.baseIndices(), new NetworkFitting.Options(options.epochs(),
                            options.batchSize(), options.learningRate(), options.decayEpochs(), options.seed(), true),
                    progress);
            noteHeap();
            long exportStart = System.nanoTime();
            NetworkWeights base = model.network().weights().base();
            exported = ServingGraphs.export(base, options.out());
            Files.write(directory.file(ModelDirectory.BASE_WEIGHTS), base.encode());
            exportSeconds = (System.nanoTime() - exportStart) / 1e9;
            adapterReport = NetworkFitting.fit("adapter", rate -> model.newTrainer(TrainingOptions.adapter()
                            .withLearningRate(rate)), walk.train(), walk.adapterIndices(),
                    new NetworkFitting.Options(options.adapterEpochs(), options.batchSize(),
                            options.adapterLearningRate(), 0, options.seed() + 1, false), progress);
            adapter = Adapter.extract(model.network());
        }
        Files.write(directory.file(ModelDirectory.ADAPTER), adapter.encode());
        Files.writeString(directory.file(ModelDirectory.FEATURE_SPEC), spec.toJson());
        ModelDirectory.JSON.writeValue(directory.file(ModelDirectory.NETWORK_CONFIG).toFile(),
                ModelDirectory.networkConfigJson(config));
        noteHeap();

        // the baseline, on the same examples and weights
        long baselineStart = System.nanoTime();
        BaselineRun baseline = trainBaseline(walk, spec, directory);
        float[] baselineScores = baseline.testScores();
        ModelCard.Baseline baselineCard = baseline.card();
        double baselineSeconds = (System.nanoTime() - baselineStart) / 1e9;
        noteHeap();

        // score the test window with the serving graphs
        long scoringStart = System.nanoTime();
        float[] int8Scores;
        float[] fp32Scores;
        float[] baseOnlyScores;
        ScorerOptions scorerOptions = ScorerOptions.cpu(Math.max(1, options.threads()));
        try (OnnxScorer int8 = OnnxScorer.load(exported.int8(), scorerOptions, adapter);
             OnnxScorer fp32 = OnnxScorer.load(exported.fp32(), scorerOptions, adapter)) {
            int8Scores = score(int8, adapter, walk.test());
            fp32Scores = score(fp32, adapter, walk.test());
            baseOnlyScores = score(fp32, OnnxScorer.zeroAdapter(GraphSignature.read(exported.fp32())), walk.test());
        }
        double scoringSeconds = (System.nanoTime() - scoringStart) / 1e9;

        // evaluate every score the same way
        FraudEvaluator evaluator = new FraudEvaluator(options.k());
        List<CsvTransaction> testRows = walk.testRows();
        Map<String, String> scenarios = prepared.hasScenarios() ? scenarioOf(testRows) : Map.of();
        List<ModelCard.ModelMetrics> models = new ArrayList<>();
        Evaluation servedEval = null;
        Evaluation fp32Eval = null;
        Map<String, float[]> scored = new LinkedHashMap<>();
        scored.put(ModelCard.SERVED, int8Scores);
        scored.put(ModelCard.FP32_ADAPTER, fp32Scores);
        scored.put(ModelCard.FP32_BASE, baseOnlyScores);
        scored.put(ModelCard.BASELINE, baselineScores);
        Map<String, String> descriptions = Map.of(
                ModelCard.SERVED, "served: int8 graph + adapter",
                ModelCard.FP32_ADAPTER, "fp32 graph + adapter",
                ModelCard.FP32_BASE, "fp32 graph, base only (zero adapter)",
                ModelCard.BASELINE, "baseline: XGBoost on the same features");
        for (Map.Entry<String, float[]> entry : scored.entrySet()) {
            List<ScoredTransaction> transactions = scoredTransactions(testRows, entry.getValue());
            Evaluation e = evaluator.evaluate(windows.testWindow(), transactions, prepared.known());
            Map<String, double[]> perScenario = scenarios.isEmpty() ? Map.of()
                    : perScenario(windows, transactions, prepared.known(), scenarios);
            models.add(ModelCard.ModelMetrics.of(entry.getKey(), descriptions.get(entry.getKey()), e,
                    scenarios.isEmpty() ? null : column(perScenario, 0),
                    scenarios.isEmpty() ? null : column(perScenario, 1)));
            if (entry.getKey().equals(ModelCard.SERVED)) {
                servedEval = e;
            } else if (entry.getKey().equals(ModelCard.FP32_ADAPTER)) {
                fp32Eval = e;
            }
        }
        ModelCard.Quantization quantization = quantization(servedEval, fp32Eval, int8Scores, fp32Scores);

        // latency of the two graphs, as served (one ONNX Runtime thread)
        long benchStart = System.nanoTime();
        err.println("latency: int8 against fp32 at batch 1 and 64 ...");
        err.flush();
        ServingLatency.Result latency = ServingLatency.measure(exported.int8(), exported.fp32(), adapter,
                new ServingLatency.Options(options.benchReps(), 1, "ALL_OPT", false));
        double benchSeconds = (System.nanoTime() - benchStart) / 1e9;
        ModelCard.Latency latencyCard = new ModelCard.Latency(options.benchReps(), 1, "ALL_OPT", latency.runsOn(),
                latency.loadAverage(), latency.int8().at(1), latency.int8().at(64), latency.fp32().at(1),
                latency.fp32().at(64), latency.speedUp(1), latency.speedUp(64), latency.int8().fileBytes(),
                latency.fp32().fileBytes(), latency.int8().residentBytes(), latency.fp32().residentBytes(),
                "OnnxScorer (DJL) on random inputs, the two graphs taking turns in each repetition; memory per "
                        + "session is measured by ./vigil bench model (a training JVM's heap makes it unreadable).");

        ModelCard.ModelMetrics served = byId(models, ModelCard.SERVED);
        ModelCard.Parameters parameters = new ModelCard.Parameters(parameterCount.base(), parameterCount.lora(),
                parameterCount.total(), parameterCount.loraShare());
        List<ModelCard.Target> targets = Targets.check(served, byId(models, ModelCard.BASELINE), quantization,
                latencyCard, parameters);

        writeAdapterMeta(directory, adapter, exported.baseModelHash(), windows, spec, served);
        noteHeap();
        double wall = (System.nanoTime() - started) / 1e9;
        ModelCard card = new ModelCard(
                options.out().getFileName().toString(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                CodeVersion.detect(),
                prepared.data(),
                new ModelCard.Windows(windows.trainFrom().toString(), windows.trainTo().toString(),
                        windows.adapterFrom().toString(), windows.trainTo().toString(), windows.testFrom().toString(),
                        windows.testTo().toString(), (int) windows.labelDelay().toDays(),
                        windows.gap().toMinutes() / 1440.0,
                        "train on the train window with its true labels, leave a gap of at least the label delay, "
                                + "test on the following days (Fraud Detection Handbook); features point in time, "
                                + "fraud labels known to the context sources from event time + label delay"),
                options.seed(),
                options.hyperParameters(config),
                new ModelCard.Examples(counts.walked(), counts.trainTransactions(), counts.trainFrauds(),
                        counts.baseExamples(), counts.baseFrauds(), options.negativeSample(), counts.adapterExamples(),
                        counts.adapterFrauds(), counts.testTransactions(), counts.testFrauds(),
                        walk.train().bytesHeld() + walk.test().bytesHeld()),
                parameters,
                files(directory),
                exported.baseModelHash(),
                new ModelCard.AdapterInfo(ModelDirectory.ADAPTER, "1", 1, null, adapter.sha256(), adapter.rank(),
                        adapter.alpha(), adapter.parameterCount(), windows.adapterFrom().toString(),
                        windows.trainTo().toString()),
                new ModelCard.Training(prepared.readSeconds(), walk.seconds(),
                        counts.walked() / Math.max(walk.seconds(), 1e-9), phase(baseReport), phase(adapterReport),
                        exportSeconds, baselineSeconds, scoringSeconds, benchSeconds, wall, options.threads(),
                        Runtime.getRuntime().maxMemory(), peakHeap),
                new ModelCard.EvaluationSection(new ModelCard.Protocol(windows.testFrom().toString(),
                        windows.testTo().toString(), options.k(), (int) windows.labelDelay().toDays(),
                        windows.trainFrom().toString(), true, prepared.known().compromisedCards(),
                        "AUC and AP over the test transactions left after excluding, on each test day, the cards "
                                + "whose fraud was known by then (event time before the day's start minus the label "
                                + "delay, from the train window's start on); CP@k per day on the same transactions, "
                                + "cards found on a day removed from later days; computed by the evaluation module "
                                + "(FraudEvaluator)."),
                        models),
                quantization,
                latencyCard,
                baselineCard,
                targets,
                prepared.warnings(),
                options.notes());
        card.writeJson(directory.file(ModelDirectory.CARD_JSON));
        ModelCardMarkdown.write(card, directory.file(ModelDirectory.CARD_MD));
        printSummary(card, wall);
        return card;
    }

    /** Reads the history, resolves the windows, walks it, and records the frauds for the exclusion. */
    private Prepared prepare(FeatureEncoder encoder) throws IOException {
        long readStart = System.nanoTime();
        TransactionHistory history = TransactionHistory.read(options.data(), err);
        double readSeconds = (System.nanoTime() - readStart) / 1e9;
        if (history.transactions().isEmpty()) {
            throw new IllegalArgumentException(options.data() + " has no readable transaction");
        }
        out.printf(Locale.ROOT, "read %,d transactions (%,d frauds, %,d unlabeled; %,d unreadable and %,d duplicate "
                        + "rows skipped) from %s in %.1f s; %s .. %s%n", history.transactions().size(),
                history.frauds(), history.unlabeled(), history.badRows(), history.duplicates(), options.data(),
                readSeconds, history.firstEventTime(), history.lastEventTime());
        TrainingWindows windows = TrainingWindows.resolve(options.trainFrom(), options.trainTo(),
                options.testFrom(), options.testTo(), options.labelDelay(), options.testDays(),
                options.adapterDays());
        List<String> warnings = new ArrayList<>(windows.warnings());
        if (windows.testTo().isAfter(history.lastEventTime())) {
            warnings.add("the data ends at " + history.lastEventTime() + ", before the end of the test window "
                    + windows.testTo() + ": the last test days are partial or empty");
        }
        if (windows.trainFrom().isBefore(history.firstEventTime())) {
            warnings.add("the data starts at " + history.firstEventTime() + ", after the start of the train "
                    + "window: the first training days have no card history or labeled context behind them");
        }
        warnings.forEach(w -> err.println("train: warning: " + w));
        out.printf(Locale.ROOT, "windows: train [%s, %s), adapter [%s, %s), test [%s, %s), label delay %d days%n",
                windows.trainFrom(), windows.trainTo(), windows.adapterFrom(), windows.trainTo(), windows.testFrom(),
                windows.testTo(), windows.labelDelay().toDays());
        out.flush();

        KnownCompromisedCards known = new KnownCompromisedCards(windows.trainFrom(), windows.labelDelay());
        history.transactions().forEach(known::record);

        NegativeSampling sampling = new NegativeSampling(options.negativeSample(), options.seed());
        err.printf(Locale.ROOT, "walk: point-in-time features of every transaction up to %s (%d thread(s)) ...%n",
                windows.testTo(), options.threads());
        err.flush();
        PointInTimeWalk.Result walk = new PointInTimeWalk(encoder, windows, sampling, options.threads())
                .run(history.transactions());
        PointInTimeWalk.Counts c = walk.counts();
        out.printf(Locale.ROOT, "walk: %,d transactions in %.1f s (%,d cards, %,d chargebacks); train window %,d (%,d frauds): base "
                        + "set %,d (%,d frauds, genuine kept at rate %s), adapter set %,d (%,d frauds); test %,d "
                        + "(%,d frauds); features held %.0f MB%n", c.walked(), walk.seconds(), c.cards(),
                c.chargebacks(), c.trainTransactions(), c.trainFrauds(), c.baseExamples(), c.baseFrauds(), options.negativeSample(),
                c.adapterExamples(), c.adapterFrauds(), c.testTransactions(), c.testFrauds(),
                (walk.train().bytesHeld() + walk.test().bytesHeld()) / 1e6);
        out.flush();
        if (c.baseFrauds() == 0 || c.baseExamples() == c.baseFrauds()) {
            throw new IllegalArgumentException("the train window [" + windows.trainFrom() + ", " + windows.trainTo()
                    + ") has " + c.baseFrauds() + " frauds among " + c.baseExamples() + " examples: training needs "
                    + "both frauds and genuine transactions");
        }
        if (c.testTransactions() == 0) {
            throw new IllegalArgumentException("the test window [" + windows.testFrom() + ", " + windows.testTo()
                    + ") has no labeled transaction in " + options.data());
        }
        ModelCard.Data data = new ModelCard.Data(options.data().toString(), history.sha256(),
                history.transactions().size(), history.badRows(), history.duplicates(), history.frauds(),
                String.valueOf(history.firstEventTime()), String.valueOf(history.lastEventTime()),
                history.optionalColumns());
        return new Prepared(windows, walk, known, data, readSeconds, warnings,
                history.optionalColumns().contains("scenario"));
    }

    /** The baseline's test scores and its part of the card. */
    private record BaselineRun(float[] testScores, ModelCard.Baseline card) {}

    /**
     * XGBoost on the base set (same examples, same weights scaled to a mean of 1), flattened by
     * {@link BaselineFeatures}; scores the test window and writes the model file.
     */
    private BaselineRun trainBaseline(PointInTimeWalk.Result walk, FeatureSpec spec, ModelDirectory directory)
            throws IOException {
        BaselineFeatures flat = new BaselineFeatures(spec.seqLen(), spec.seqFeatureCount(), spec.denseFeatureCount());
        XgboostBaseline xgb = XgboostBaseline.defaults(options.baselineRounds(), options.threads(), options.seed());
        String[] columnNames = flat.names(spec.denseFeatures().toArray(String[]::new),
                spec.seqFeatures().toArray(String[]::new));
        int[] rows = walk.baseIndices();
        float[] labels = walk.train().labels(rows, 0, rows.length);
        float[] weights = walk.train().weights(rows, 0, rows.length);
        double mean = 0;
        for (float w : weights) {
            mean += w;
        }
        mean /= Math.max(1, weights.length);
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= (float) mean;
        }
        err.printf(Locale.ROOT, "baseline XGBoost: %,d examples x %d features, %d rounds ...%n", rows.length,
                flat.width(), options.baselineRounds());
        err.flush();
        try (XgboostBaseline.Trained trained = xgb.train(flat.matrix(walk.train(), rows), rows.length, flat.width(),
                labels, weights)) {
            float[] scores = trained.predict(flat.matrix(walk.test(), walk.test().allIndices()), walk.test().size());
            Files.write(directory.file(ModelDirectory.BASELINE), trained.toJson());
            List<ModelCard.FeatureGain> top = trained.topFeatures(columnNames, 10).stream()
                    .map(e -> new ModelCard.FeatureGain(e.getKey(), e.getValue())).toList();
            return new BaselineRun(scores, new ModelCard.Baseline("XGBoost " + xgboostVersion(), xgb.parameters(),
                    xgb.rounds(), flat.width(), "the dense vector, then per sequence feature its mean and max over "
                    + "the real positions and its value at the previous payment, then the number of real positions",
                    rows.length, trained.seconds(), top));
        }
    }

    private static float[] score(OnnxScorer scorer, Adapter adapter, ExampleSet examples) {
        float[] scores = new float[examples.size()];
        int[] all = examples.allIndices();
        for (int from = 0; from < all.length; from += SCORING_BATCH) {
            int to = Math.min(all.length, from + SCORING_BATCH);
            FeatureBatch batch = examples.batch(all, from, to);
            System.arraycopy(scorer.score(batch, adapter), 0, scores, from, to - from);
        }
        return scores;
    }

    static List<ScoredTransaction> scoredTransactions(List<CsvTransaction> rows, float[] scores) {
        List<ScoredTransaction> scored = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            CsvTransaction t = rows.get(i);
            scored.add(new ScoredTransaction(t.transactionId(), t.cardId(), t.eventTime(), t.amount(), t.isFraud(),
                    scores[i], scores[i] >= ALERT_THRESHOLD));
        }
        return scored;
    }

    private static Map<String, String> scenarioOf(List<CsvTransaction> rows) {
        Map<String, String> scenarios = new HashMap<>();
        for (CsvTransaction t : rows) {
            if (t.isFraud()) {
                scenarios.put(t.transactionId(), t.scenario() == null ? "unknown" : t.scenario());
            }
        }
        return scenarios;
    }

    /**
     * AP and AUC of each scenario's frauds against every genuine transaction, over the same evaluated transactions as
     * the headline metrics (test window, known-compromised cards excluded by the evaluation module).
     */
    static Map<String, double[]> perScenario(TrainingWindows windows, List<ScoredTransaction> transactions,
            KnownCompromisedCards known, Map<String, String> scenarioOfFraud) {
        List<ScoredTransaction> inWindow = transactions.stream()
                .filter(t -> windows.testWindow().contains(t.eventTime())).toList();
        List<ScoredTransaction> kept = known.exclude(inWindow).kept();
        Map<String, double[]> result = new TreeMap<>();
        for (String scenario : new TreeSet<>(scenarioOfFraud.values())) {
            List<ScoredTransaction> subset = kept.stream()
                    .filter(t -> !t.fraud() || scenario.equals(scenarioOfFraud.get(t.transactionId()))).toList();
            double[] scores = new double[subset.size()];
            boolean[] fraud = new boolean[subset.size()];
            for (int i = 0; i < subset.size(); i++) {
                scores[i] = subset.get(i).score();
                fraud[i] = subset.get(i).fraud();
            }
            if (subset.stream().anyMatch(ScoredTransaction::fraud)) {
                result.put(scenario, new double[] {AveragePrecision.of(scores, fraud), RocAuc.of(scores, fraud)});
            }
        }
        return result;
    }

    private static ModelCard.ModelMetrics byId(List<ModelCard.ModelMetrics> models, String id) {
        return models.stream().filter(m -> m.model().equals(id)).findFirst().orElseThrow();
    }

    private static Map<String, Double> column(Map<String, double[]> values, int column) {
        Map<String, Double> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, ModelCard.finite(v[column])));
        return out;
    }

    private static ModelCard.Quantization quantization(Evaluation int8, Evaluation fp32, float[] int8Scores,
            float[] fp32Scores) {
        double max = 0;
        double sum = 0;
        for (int i = 0; i < int8Scores.length; i++) {
            double d = Math.abs(int8Scores[i] - fp32Scores[i]);
            max = Math.max(max, d);
            sum += d;
        }
        return new ModelCard.Quantization(ModelCard.finite(fp32.averagePrecision()),
                ModelCard.finite(int8.averagePrecision()),
                ModelCard.finite(int8.averagePrecision() - fp32.averagePrecision()),
                ModelCard.finite(int8.rocAuc() - fp32.rocAuc()),
                ModelCard.finite(int8.cardPrecisionAtK() - fp32.cardPrecisionAtK()), max,
                int8Scores.length == 0 ? 0 : sum / int8Scores.length);
    }

    private static ModelCard.Phase phase(NetworkFitting.Report report) {
        return new ModelCard.Phase(report.epochLosses().size(), report.examples(), report.steps(),
                report.epochLosses(), report.learningRates(), report.seconds(), report.examplesPerSecond());
    }

    /** Every file of the directory except the card itself, with size and SHA-256. */
    private static List<ModelCard.FileEntry> files(ModelDirectory directory) throws IOException {
        List<ModelCard.FileEntry> files = new ArrayList<>();
        for (String name : ModelDirectory.FILES) {
            if (name.equals(ModelDirectory.CARD_JSON) || name.equals(ModelDirectory.CARD_MD)) {
                continue;
            }
            Path file = directory.file(name);
            if (Files.isRegularFile(file)) {
                files.add(new ModelCard.FileEntry(name, Files.size(file),
                        Sha256.hexOfFile(file)));
            }
        }
        return files;
    }

    private void writeAdapterMeta(ModelDirectory directory, Adapter adapter, String baseModelHash,
            TrainingWindows windows, FeatureSpec spec, ModelCard.ModelMetrics served) throws IOException {
        ObjectNode meta = ModelDirectory.JSON.createObjectNode();
        meta.put("file", ModelDirectory.ADAPTER);
        meta.put("format", "VGLA v1 (dev.vigil.model.adapter.Adapter.encode)");
        meta.put("version", "1");
        meta.putNull("parent_version");
        meta.put("sequence", 1);
        meta.put("base_model_hash", baseModelHash);
        meta.put("sha256", adapter.sha256());
        meta.put("rank", adapter.rank());
        meta.put("alpha", adapter.alpha());
        meta.put("parameters", adapter.parameterCount());
        meta.put("feature_spec_hash", spec.hash());
        meta.put("created_time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.put("trained_from", windows.adapterFrom().toString());
        meta.put("trained_to", windows.trainTo().toString());
        meta.put("note", "first adapter: tuned by the trainer on the most recent part of the train window, "
                + "base frozen");
        ObjectNode metrics = meta.putObject("metrics");
        if (served.auc() != null) {
            metrics.put("test_auc", served.auc());
        }
        if (served.averagePrecision() != null) {
            metrics.put("test_average_precision", served.averagePrecision());
        }
        if (served.cardPrecisionAtK() != null) {
            metrics.put("test_card_precision_at_k", served.cardPrecisionAtK());
        }
        ModelDirectory.JSON.writeValue(directory.file(ModelDirectory.ADAPTER_META).toFile(), meta);
    }

    private void printSummary(ModelCard card, double wall) {
        out.println();
        out.printf(Locale.ROOT, "%-42s %8s %8s %8s%n", "test window " + card.windows().testFrom().substring(0, 10)
                + " .. " + card.windows().testTo().substring(0, 10), "AUC", "AP", "CP@" + options.k());
        for (ModelCard.ModelMetrics m : card.evaluation().models()) {
            out.printf(Locale.ROOT, "%-42s %8s %8s %8s%n", m.description(), fmt(m.auc()), fmt(m.averagePrecision()),
                    fmt(m.cardPrecisionAtK()));
        }
        ModelCard.Latency l = card.latency();
        out.printf(Locale.ROOT, "int8 vs fp32: AP %s; batch 64 int8 %.1f us/tx, fp32 %.1f us/tx (%.2fx); batch 1 "
                        + "%.1f vs %.1f us/tx%n", card.int8VsFp32().apDifference() == null ? "n/a"
                        : String.format(Locale.ROOT, "%+.4f", card.int8VsFp32().apDifference()),
                l.int8Batch64(), l.fp32Batch64(), l.speedUpBatch64(), l.int8Batch1(), l.fp32Batch1());
        long missed = card.targets().stream().filter(t -> !t.met()).count();
        out.printf(Locale.ROOT, "targets: %d of %d met%s%n", card.targets().size() - missed, card.targets().size(),
                missed == 0 ? "" : "; missed: " + String.join(", ", card.targets().stream().filter(t -> !t.met())
                        .map(t -> t.name() + " (" + t.shortfall() + ")").toList()));
        out.printf(Locale.ROOT, "wrote %s in %.0f s (peak heap %.0f MB)%n", options.out(), wall, peakHeap / 1e6);
        out.flush();
    }

    private static String fmt(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String describe(NetworkConfig c) {
        return String.format(Locale.ROOT, "seq %dx%d, dense %d, d=%d, %d layer(s), %d heads, ffn %d, LoRA r=%d "
                        + "alpha %s on %s", c.seqLen(), c.seqFeatures(), c.denseFeatures(), c.dModel(), c.layers(),
                c.heads(), c.ffnDim(), c.loraRank(), c.loraAlpha(), c.adaptedProjections());
    }

    private void noteHeap() {
        Runtime runtime = Runtime.getRuntime();
        peakHeap = Math.max(peakHeap, runtime.totalMemory() - runtime.freeMemory());
    }

    private static String xgboostVersion() {
        String version = ml.dmlc.xgboost4j.java.XGBoost.class.getPackage().getImplementationVersion();
        return version == null ? "2.1.4 (xgboost4j)" : version + " (xgboost4j)";
    }
}
