package dev.vigil.bench.feedback;

import dev.vigil.evaluation.AveragePrecision;
import dev.vigil.evaluation.CardPrecision;
import dev.vigil.evaluation.CardPrecisionAtK;
import dev.vigil.evaluation.KnownCompromisedCards;
import dev.vigil.evaluation.ScoredTransaction;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.features.Payment;
import dev.vigil.model.features.PointInTimeFeatures;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.schemas.csv.CsvTransaction;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fast memory, measured on its own: the model's first adapter in both arms, the retrieval context (the merchant's
 * labeled frauds, the most similar labeled frauds) built either from the fraud labels as they arrive (cardholder
 * reports and chargebacks, each at its own time: what the scorer's local context holds) or from the labels known at
 * the wave's start only (retrieval frozen). The difference on the wave's days is what a confirmed fraud teaches the
 * next payments through retrieval alone, before any adapter is trained. Each arm's inputs are computed with the
 * trainer's {@link PointInTimeFeatures} and scored as they come, so only the scores are kept.
 */
final class FastMemory {

    /** One day: CP@k and AP of each arm, and how many of the day's wave frauds each would have alerted. */
    record Day(LocalDate date, double liveCp, double liveAp, int liveWaveAlerts, double frozenCp, double frozenAp,
               int frozenWaveAlerts) {}

    private static final int BATCH = 512;

    private final NetworkConfig network;
    private final Adapter first;
    private final FeatureEncoder encoder;
    private final double alertThreshold;
    private final int k;

    FastMemory(ModelDirectory model, double alertThreshold, int k) throws IOException {
        this.network = model.networkConfig();
        this.first = model.adapter();
        this.encoder = new FeatureEncoder(model.featureSpec());
        this.alertThreshold = alertThreshold;
        this.k = k;
    }

    /** The days from {@code gradeFrom}, both arms; {@code labels} are all the fraud labels as they arrive. */
    List<Day> run(List<CsvTransaction> history, List<CaseLabel> labels, Instant waveStart, Instant gradeFrom,
            KnownCompromisedCards known, OnnxScorer scorer) {
        List<CaseLabel> atWaveStart = labels.stream().filter(l -> l.labelTime().isBefore(waveStart)).toList();
        Arm live = score(history, labels, gradeFrom, scorer);
        Arm frozen = score(history, atWaveStart, gradeFrom, scorer);
        Map<LocalDate, Double> liveCp = byDay(new CardPrecisionAtK(k).compute(live.scored, known));
        Map<LocalDate, Double> frozenCp = byDay(new CardPrecisionAtK(k).compute(frozen.scored, known));
        List<Day> days = new ArrayList<>();
        for (LocalDate date : live.byDay.keySet()) {
            if (date.isBefore(LocalDate.ofInstant(waveStart, ZoneOffset.UTC))) {
                continue;
            }
            double[] l = live.byDay.get(date);
            double[] f = frozen.byDay.get(date);
            days.add(new Day(date, liveCp.getOrDefault(date, Double.NaN), l[0], (int) l[1],
                    frozenCp.getOrDefault(date, Double.NaN), f[0], (int) f[1]));
        }
        return days;
    }

    /** One arm's scores: the graded transactions, and per day its AP and alerted wave frauds. */
    private record Arm(List<ScoredTransaction> scored, Map<LocalDate, double[]> byDay) {}

    private Arm score(List<CsvTransaction> history, List<CaseLabel> labels, Instant gradeFrom, OnnxScorer scorer) {
        Map<String, CsvTransaction> graded = new HashMap<>();
        for (CsvTransaction row : history) {
            if (!row.eventTime().isBefore(gradeFrom)) {
                graded.put(row.transactionId(), row);
            }
        }
        List<CsvTransaction> pendingRows = new ArrayList<>(BATCH);
        List<ModelInputs> pendingInputs = new ArrayList<>(BATCH);
        List<ScoredTransaction> scored = new ArrayList<>(graded.size());
        new PointInTimeFeatures(encoder, 2).run(
                history.stream().map(Payment::of).toList(), labels, (payment, in) -> {
                    CsvTransaction row = graded.get(payment.transactionId());
                    if (row == null) {
                        return;
                    }
                    pendingRows.add(row);
                    pendingInputs.add(in);
                    if (pendingRows.size() == BATCH) {
                        flush(pendingRows, pendingInputs, scorer, scored);
                    }
                });
        flush(pendingRows, pendingInputs, scorer, scored);
        Map<LocalDate, List<ScoredTransaction>> days = new TreeMap<>();
        for (ScoredTransaction s : scored) {
            days.computeIfAbsent(LocalDate.ofInstant(s.eventTime(), ZoneOffset.UTC), d -> new ArrayList<>()).add(s);
        }
        Map<LocalDate, double[]> byDay = new TreeMap<>();
        Map<String, Boolean> wave = new HashMap<>();
        graded.values().forEach(r -> wave.put(r.transactionId(), "merchant_wave".equals(r.scenario())));
        days.forEach((date, list) -> {
            double[] s = new double[list.size()];
            boolean[] fraud = new boolean[list.size()];
            int waveAlerts = 0;
            for (int i = 0; i < s.length; i++) {
                s[i] = list.get(i).score();
                fraud[i] = list.get(i).fraud();
                waveAlerts += fraud[i] && wave.get(list.get(i).transactionId()) && list.get(i).alerted() ? 1 : 0;
            }
            byDay.put(date, new double[] {AveragePrecision.of(s, fraud), waveAlerts});
        });
        return new Arm(scored, byDay);
    }

    private void flush(List<CsvTransaction> rows, List<ModelInputs> inputs, OnnxScorer scorer,
            List<ScoredTransaction> out) {
        int b = rows.size();
        if (b == 0) {
            return;
        }
        float[] seq = new float[b * network.seqLen() * network.seqFeatures()];
        float[] mask = new float[b * network.seqLen()];
        float[] dense = new float[b * network.denseFeatures()];
        for (int r = 0; r < b; r++) {
            inputs.get(r).copyInto(r, seq, mask, dense);
        }
        float[] p = scorer.scoreWithLogits(new FeatureBatch(b, seq, mask, dense), first).probabilities();
        for (int r = 0; r < b; r++) {
            CsvTransaction row = rows.get(r);
            out.add(new ScoredTransaction(row.transactionId(), row.cardId(), row.eventTime(), row.amount(),
                    row.isFraud(), p[r], p[r] >= alertThreshold));
        }
        rows.clear();
        inputs.clear();
    }

    private static Map<LocalDate, Double> byDay(CardPrecision cp) {
        Map<LocalDate, Double> out = new HashMap<>();
        for (CardPrecision.Day d : cp.days()) {
            out.put(d.day(), d.precision());
        }
        return out;
    }
}
