package dev.vigil.bench.feedback;

import dev.vigil.evaluation.AveragePrecision;
import dev.vigil.evaluation.CardPrecisionAtK;
import dev.vigil.evaluation.KnownCompromisedCards;
import dev.vigil.evaluation.RocAuc;
import dev.vigil.evaluation.ScoredTransaction;
import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.gate.PromotionGate;
import dev.vigil.feedback.labels.LabelWindow;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.PolicyUpdate;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.TrainingExamples;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.features.Payment;
import dev.vigil.model.features.PointInTimeFeatures;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.streams.scoring.DecisionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The feedback loop offline on a simulated history with a trained model: score a stretch of days with the live
 * (first) adapter and streams-app's DecisionPolicy, make the labels the loop would get (an analyst label one day
 * after every alert and exploration review, a chargeback seven days after every passed fraud), run one update and
 * the gate on the labels known by the end of the stretch, then compare live and candidate on the following days
 * with every transaction's true label. Prints numbers; asserts nothing.
 *
 * <p>Run: java -Xmx4g ... dev.vigil.bench.feedback.FeedbackReplayBench MODEL_DIR CSV LOOP_FROM LOOP_TO TEST_TO [LAMBDA...]
 */
public final class FeedbackReplayBench {

    public static void main(String[] args) throws Exception {
        ModelDirectory model = new ModelDirectory(Path.of(args[0]));
        Path csv = Path.of(args[1]);
        Instant loopFrom = Instant.parse(args[2] + "T00:00:00Z");
        Instant loopTo = Instant.parse(args[3] + "T00:00:00Z");
        Instant testTo = Instant.parse(args[4] + "T00:00:00Z");
        List<Double> lambdas = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            lambdas.add(Double.parseDouble(args[i]));
        }
        if (lambdas.isEmpty()) {
            lambdas.add(1.0);
        }
        NetworkConfig config = model.networkConfig();
        String modelId = model.baseModelHash().substring(0, 12);
        long t0 = System.nanoTime();

        List<CsvTransaction> rows = new ArrayList<>();
        try (TransactionCsv.Reader reader = TransactionCsv.open(csv)) {
            CsvTransaction row;
            while ((row = reader.next(bad -> { })) != null) {
                if (row.eventTime().isBefore(testTo)) {
                    rows.add(row);
                }
            }
        }
        rows.sort(java.util.Comparator.comparing(CsvTransaction::eventTime).thenComparing(CsvTransaction::transactionId));
        List<Payment> payments = rows.stream().map(Payment::of).toList();
        java.util.Map<String, CsvTransaction> byId = new java.util.HashMap<>();
        rows.forEach(r -> byId.put(r.transactionId(), r));
        List<CsvTransaction> kept = new ArrayList<>();
        List<ModelInputs> inputs = new ArrayList<>();
        new PointInTimeFeatures(new FeatureEncoder(model.featureSpec()), 2).run(payments,
                PointInTimeFeatures.chargebacks(rows, Duration.ofDays(7)), (p, in) -> {
                    if (!p.eventTime().isBefore(loopFrom)) {
                        kept.add(byId.get(p.transactionId()));
                        inputs.add(in);
                    }
                });
        rows.clear();
        byId.clear();
        System.out.printf(Locale.ROOT, "encoded %,d transactions from %s in %.1f s%n", kept.size(), loopFrom,
                (System.nanoTime() - t0) / 1e9);

        Adapter live = model.adapter();
        NetworkWeights base = model.baseWeights();
        dev.vigil.streams.scoring.ReviewBudget budget = new dev.vigil.streams.scoring.ReviewBudget(
                DecisionPolicy.defaults(), 1);
        try (OnnxScorer scorer = OnnxScorer.load(model.int8(), ScorerOptions.cpu(1), live)) {
            float[] liveScores = score(scorer, live, config, inputs);
            LabelWindow window = new LabelWindow(Duration.ofDays(60), 1_000_000);
            List<Integer> test = new ArrayList<>();
            long offset = 0;
            int alerts = 0;
            int reviews = 0;
            int chargebacks = 0;
            for (int i = 0; i < kept.size(); i++) {
                CsvTransaction row = kept.get(i);
                if (!row.eventTime().isBefore(loopTo)) {
                    test.add(i);
                    continue;
                }
                DecisionPolicy.Decision decision = budget.decide(List.of(row.transactionId()),
                        List.of(row.cardId()), new long[] {row.eventTime().toEpochMilli()}, new float[] {liveScores[i]})[0];
                LoggedDecision logged = new LoggedDecision(row.transactionId(), row.cardId(), row.eventTime(),
                        row.amount().minorUnits(), row.amount().currency(), liveScores[i], decision.name(),
                        decision.reviewProbability(), modelId, "1", inputs.get(i).toLittleEndianBytes());
                Instant labelTime;
                LabelSource source;
                if (logged.reviewed()) {
                    labelTime = row.eventTime().plus(Duration.ofDays(1));
                    source = LabelSource.ANALYST;
                    if (DecisionPolicy.ALERT.equals(decision.name())) {
                        alerts++;
                    } else {
                        reviews++;
                    }
                } else if (row.isFraud()) {
                    labelTime = row.eventTime().plus(Duration.ofDays(7));
                    source = LabelSource.CHARGEBACK;
                    chargebacks++;
                } else {
                    continue;
                }
                if (labelTime.isBefore(loopTo)) {
                    window.add(new LabeledDecision(logged, row.isFraud(), source, labelTime, 0, offset++));
                }
            }
            List<LabeledDecision> labeled = window.snapshot();
            System.out.printf(Locale.ROOT, "loop window %s .. %s: %d alerts, %d exploration reviews, %d passed frauds; "
                    + "%d labels known by %s (%d frauds)%n", loopFrom, loopTo, alerts, reviews, chargebacks,
                    labeled.size(), loopTo, labeled.stream().filter(LabeledDecision::fraud).count());

            List<ModelInputs> testInputs = test.stream().map(inputs::get).toList();
            float[] liveTest = test.stream().mapToDouble(i -> liveScores[i]).collect(() -> new float[test.size()],
                    new java.util.function.ObjDoubleConsumer<float[]>() {
                        int k;
                        public void accept(float[] a, double v) {
                            a[k++] = (float) v;
                        }
                    }, (a, b) -> { });
            report("live (frozen first adapter)", kept, test, liveTest, null);
            PromotionGate gate = new PromotionGate(GateOptions.defaults());
            PromotionGate.Split split = gate.split(labeled);
            for (double lambda : lambdas) {
                long u0 = System.nanoTime();
                TrainingExamples examples = TrainingExamples.of(split.train(), RewardModel.defaults(),
                        ImportanceWeights.defaults());
                PolicyUpdate.Result update = new PolicyUpdate(base, UpdateOptions.defaults().withProximalLambda(lambda))
                        .run(live, split.train(), examples);
                float[] liveHold = scorer.scoreWithLogits(PolicyUpdate.features(config, split.holdout()), live)
                        .probabilities();
                float[] candHold = scorer.scoreWithLogits(PolicyUpdate.features(config, split.holdout()),
                        update.candidate()).probabilities();
                PromotionGate.Verdict verdict = gate.judge(split.holdout(), liveHold, candHold);
                double seconds = (System.nanoTime() - u0) / 1e9;
                System.out.printf(Locale.ROOT, "lambda %.1f: update+gate %.1f s, %d steps, relative drift %.3f; gate %s: %s%n",
                        lambda, seconds, update.steps(), update.relativeDrift(), verdict.promoted() ? "PROMOTE" : "refuse",
                        verdict.reason());
                float[] candTest = score(scorer, update.candidate(), config, testInputs);
                report("candidate lambda " + lambda, kept, test, candTest, liveTest);
            }
        }
    }

    static void report(String name, List<CsvTransaction> kept, List<Integer> test, float[] scores, float[] live) {
        double[] s = new double[scores.length];
        boolean[] fraud = new boolean[scores.length];
        List<ScoredTransaction> scored = new ArrayList<>();
        int alerts = 0;
        int caught = 0;
        for (int j = 0; j < scores.length; j++) {
            CsvTransaction row = kept.get(test.get(j));
            s[j] = scores[j];
            fraud[j] = row.isFraud();
            scored.add(new ScoredTransaction(row.transactionId(), row.cardId(), row.eventTime(), row.amount(), fraud[j],
                    scores[j], scores[j] >= 0.5));
            if (scores[j] >= 0.5) {
                alerts++;
                caught += fraud[j] ? 1 : 0;
            }
        }
        double cp = new CardPrecisionAtK(100).compute(scored, KnownCompromisedCards.none()).mean();
        System.out.printf(Locale.ROOT, "  test %-30s %,d tx: AUC %.4f  AP %.4f  CP@100 %.4f  alerts %d (frauds %d), "
                + "reward %.1f (1 per fraud caught, 0.1 per alert)%n", name, scores.length, RocAuc.of(s, fraud),
                AveragePrecision.of(s, fraud), cp, alerts, caught, caught - 0.1 * alerts);
    }

    static float[] score(OnnxScorer scorer, Adapter adapter, NetworkConfig config, List<ModelInputs> inputs) {
        float[] out = new float[inputs.size()];
        int batch = 512;
        for (int start = 0; start < inputs.size(); start += batch) {
            int b = Math.min(batch, inputs.size() - start);
            float[] seq = new float[b * config.seqLen() * config.seqFeatures()];
            float[] mask = new float[b * config.seqLen()];
            float[] dense = new float[b * config.denseFeatures()];
            for (int r = 0; r < b; r++) {
                inputs.get(start + r).copyInto(r, seq, mask, dense);
            }
            float[] p = scorer.scoreWithLogits(new FeatureBatch(b, seq, mask, dense), adapter).probabilities();
            System.arraycopy(p, 0, out, start, b);
        }
        return out;
    }
}
