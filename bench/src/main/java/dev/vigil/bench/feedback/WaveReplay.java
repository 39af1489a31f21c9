package dev.vigil.bench.feedback;

import dev.vigil.evaluation.AveragePrecision;
import dev.vigil.evaluation.CardPrecision;
import dev.vigil.evaluation.CardPrecisionAtK;
import dev.vigil.evaluation.KnownCompromisedCards;
import dev.vigil.evaluation.ScoredTransaction;
import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.gate.PromotionGate;
import dev.vigil.feedback.labels.LabelWindow;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.PolicyUpdate;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.TrainingExamples;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.simulator.replay.CardholderReports;
import dev.vigil.streams.scoring.DecisionPolicy;
import dev.vigil.streams.scoring.ReviewBudget;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The offline half of {@code ./vigil bench feedback}: two arms replay the same evaluation days with the same inputs,
 * the same int8 graph, the same {@link DecisionPolicy} and the same analyst rule; one keeps the model's first adapter
 * (frozen), the other runs the feedback loop's cycle (update, gate, promote) at the end of every day on the labels its
 * own decisions earned by then (loop).
 *
 * <p>A day, per arm: score the day's payments with the arm's live adapter; decide with the arm's own
 * {@link ReviewBudget} (alert / review / exploration / pass, with the logged review probability); the analysts review
 * the day's top {@code k} cards among those sent to them (explorations first, then by the card's highest score:
 * {@code ReviewDesk}'s rule) and label every sent transaction of those cards at the day's close plus the review delay;
 * every other fraud comes back as a chargeback seven days after the payment, after its cardholder's report when
 * {@link CardholderReports} draws one. The loop's cycle runs when the day's analyst labels have landed (day close
 * plus the review delay) and its result scores the next day; like {@code FeedbackLoop}, it adds the matured negatives
 * (its logged decisions past their chargeback window at the simulated clock, unlabeled, sampled by transaction id).
 */
final class WaveReplay {

    /** What a day looked like to one arm. */
    record ArmDay(double cardPrecision, double averagePrecision, int alerts, int waveAlerts, int reviewedCards,
                  int waveReviewed, String cycle) {}

    /** One evaluation day: its date, whether the wave is on, its frauds, and both arms. */
    record Day(LocalDate date, boolean waveOn, int payments, int frauds, int waveFrauds, ArmDay loop, ArmDay frozen) {}

    /**
     * The inputs of the warm-up and evaluation days, encoded once, in replay order. Days before {@code evaluationStart}
     * are the warm-up: scored by the first adapter, they fill the loop's decision log and label window the way a running
     * scorer's {@code fraud.scores} and {@code fraud.labels} would when the loop is switched on; they are not graded.
     */
    record Evaluation(List<CsvTransaction> rows, List<ModelInputs> inputs, KnownCompromisedCards known,
                      LocalDate evaluationStart) {}

    private static final Duration CHARGEBACK_DELAY = Duration.ofDays(7);
    private static final Duration LABEL_RETENTION = Duration.ofDays(30);
    private static final int LABEL_CAPACITY = 50_000;
    private static final int MIN_TRAIN = 50;
    private static final int SCORE_BATCH = 512;

    private final ModelDirectory model;
    private final NetworkConfig network;
    private final NetworkWeights base;
    private final String modelId;
    private final DecisionPolicy policy;
    private final int reviewCards;
    private final Duration reviewDelay;
    private final UpdateOptions update;
    private final PromotionGate gate;
    private final MaturedNegatives matured;
    private final RewardModel reward;
    private final CardholderReports reports;

    WaveReplay(ModelDirectory model, DecisionPolicy policy, int reviewCards, Duration reviewDelay, UpdateOptions update,
            GateOptions gate, MaturedNegatives matured, RewardModel reward, CardholderReports reports)
            throws IOException {
        this.reward = reward;
        this.reports = reports;
        this.model = model;
        this.network = model.networkConfig();
        this.base = model.baseWeights();
        this.modelId = model.baseModelHash().substring(0, 12);
        this.policy = policy;
        this.reviewCards = reviewCards;
        this.reviewDelay = reviewDelay;
        this.update = update;
        this.gate = new PromotionGate(gate);
        this.matured = matured;
    }

    /** One arm's state: its live adapter and, for the loop, the labels on their way and the window they land in. */
    private final class Arm {
        final boolean learns;
        /** The scorer's review band and exploration, fed this arm's scores. */
        final ReviewBudget budget = new ReviewBudget(policy, 1);
        Adapter adapter;
        long sequence = 1;
        final LabelWindow window = new LabelWindow(LABEL_RETENTION, LABEL_CAPACITY);
        final PriorityQueue<LabeledDecision> inFlight = new PriorityQueue<>(LabelWindow.BY_LABEL_TIME);
        final List<ScoredTransaction> scored = new ArrayList<>();
        /** The loop's logged decisions in the matured-negative sample (the others can never become one). */
        final List<LoggedDecision> sampledDecisions = new ArrayList<>();
        long labelOffset;

        Arm(boolean learns, Adapter first) {
            this.learns = learns;
            this.adapter = first;
        }
    }

    List<Day> run(Evaluation evaluation, int waveStartDay, LocalDate simulationStart, OnnxScorer scorer,
            java.io.PrintWriter progress) throws IOException {
        Adapter first = model.adapter();
        Arm loop = new Arm(true, first);
        Arm frozen = new Arm(false, first);
        Map<LocalDate, int[]> dayRanges = dayRanges(evaluation.rows());
        Map<LocalDate, String> cycles = new HashMap<>();
        Map<LocalDate, int[]> loopAlerts = new HashMap<>();
        Map<LocalDate, int[]> frozenAlerts = new HashMap<>();
        Map<LocalDate, double[]> loopAp = new HashMap<>();
        Map<LocalDate, double[]> frozenAp = new HashMap<>();

        for (Map.Entry<LocalDate, int[]> entry : dayRanges.entrySet()) {
            LocalDate date = entry.getKey();
            int from = entry.getValue()[0];
            int to = entry.getValue()[1];
            long t0 = System.nanoTime();
            if (date.isBefore(evaluation.evaluationStart())) { // the warm-up: the first adapter's decisions and labels
                playDay(loop, evaluation, from, to, date, scorer, null);
                playDay(frozen, evaluation, from, to, date, scorer, null); // its review budget learns the volume too
                progress.printf(java.util.Locale.ROOT, "  %s  day %d: %,d payments, warm-up (first adapter, labels "
                                + "and decisions for the loop's logs) (%.1f s)%n", date,
                        date.toEpochDay() - simulationStart.toEpochDay(), to - from, (System.nanoTime() - t0) / 1e9);
                progress.flush();
                continue;
            }
            loopAlerts.put(date, playDay(loop, evaluation, from, to, date, scorer, loopAp));
            frozenAlerts.put(date, playDay(frozen, evaluation, from, to, date, scorer, frozenAp));
            String cycle = cycle(loop, date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(reviewDelay),
                    scorer);
            cycles.put(date, cycle);
            progress.printf(java.util.Locale.ROOT, "  %s  day %d: %,d payments, loop cycle: %s (%.1f s)%n", date,
                    date.toEpochDay() - simulationStart.toEpochDay(), to - from, cycle, (System.nanoTime() - t0) / 1e9);
            progress.flush();
        }

        CardPrecision loopCp = new CardPrecisionAtK(reviewCards).compute(loop.scored, evaluation.known());
        CardPrecision frozenCp = new CardPrecisionAtK(reviewCards).compute(frozen.scored, evaluation.known());
        Map<LocalDate, Double> loopCpByDay = byDay(loopCp);
        Map<LocalDate, Double> frozenCpByDay = byDay(frozenCp);
        List<Day> days = new ArrayList<>();
        for (Map.Entry<LocalDate, int[]> entry : dayRanges.entrySet()) {
            LocalDate date = entry.getKey();
            if (date.isBefore(evaluation.evaluationStart())) {
                continue;
            }
            int frauds = 0;
            int waveFrauds = 0;
            for (int i = entry.getValue()[0]; i < entry.getValue()[1]; i++) {
                CsvTransaction row = evaluation.rows().get(i);
                if (row.isFraud()) {
                    frauds++;
                    waveFrauds += "merchant_wave".equals(row.scenario()) ? 1 : 0;
                }
            }
            boolean waveOn = waveStartDay >= 0 && date.toEpochDay() - simulationStart.toEpochDay() >= waveStartDay;
            days.add(new Day(date, waveOn, entry.getValue()[1] - entry.getValue()[0], frauds, waveFrauds,
                    new ArmDay(loopCpByDay.getOrDefault(date, Double.NaN), loopAp.get(date)[0],
                            loopAlerts.get(date)[0], loopAlerts.get(date)[1], loopAlerts.get(date)[2],
                            loopAlerts.get(date)[3], cycles.get(date)),
                    new ArmDay(frozenCpByDay.getOrDefault(date, Double.NaN), frozenAp.get(date)[0],
                            frozenAlerts.get(date)[0], frozenAlerts.get(date)[1], frozenAlerts.get(date)[2],
                            frozenAlerts.get(date)[3], "-")));
        }
        return days;
    }

    /**
     * Scores and decides one day for one arm, sends the labels it earns on their way; returns the day's alerts, its
     * alerted wave frauds, the cards the analysts reviewed and the wave frauds among the reviewed payments. A warm-up
     * day ({@code apByDay} null) is not graded.
     */
    private int[] playDay(Arm arm, Evaluation evaluation, int from, int to, LocalDate date, OnnxScorer scorer,
            Map<LocalDate, double[]> apByDay) {
        float[] scores = score(scorer, arm.adapter, evaluation.inputs().subList(from, to));
        double[] s = new double[scores.length];
        boolean[] fraud = new boolean[scores.length];
        int alerts = 0;
        int waveAlerts = 0;
        Map<String, List<Integer>> sentByCard = new LinkedHashMap<>();
        DecisionPolicy.Decision[] decisions = decide(arm, evaluation, from, scores);
        for (int j = 0; j < scores.length; j++) {
            CsvTransaction row = evaluation.rows().get(from + j);
            DecisionPolicy.Decision decision = decisions[j];
            boolean alerted = DecisionPolicy.ALERT.equals(decision.name());
            alerts += alerted ? 1 : 0;
            waveAlerts += alerted && "merchant_wave".equals(row.scenario()) ? 1 : 0;
            s[j] = scores[j];
            fraud[j] = row.isFraud();
            if (apByDay != null) {
                arm.scored.add(new ScoredTransaction(row.transactionId(), row.cardId(), row.eventTime(), row.amount(),
                        row.isFraud(), scores[j], alerted));
            }
            if (decision.published()) {
                sentByCard.computeIfAbsent(row.cardId(), c -> new ArrayList<>()).add(j);
            }
        }
        if (apByDay != null) {
            apByDay.put(date, new double[] {AveragePrecision.of(s, fraud)});
        }
        List<List<Integer>> reviewed = reviewedCards(sentByCard, scores, decisions);
        int waveReviewed = 0;
        for (List<Integer> card : reviewed) {
            for (int j : card) {
                waveReviewed += fraud[j] && "merchant_wave".equals(evaluation.rows().get(from + j).scenario()) ? 1 : 0;
            }
        }
        if (!arm.learns) {
            return new int[] {alerts, waveAlerts, reviewed.size(), waveReviewed};
        }
        for (int j = 0; j < scores.length; j++) {
            if (matured.sampled(evaluation.rows().get(from + j).transactionId())) {
                arm.sampledDecisions.add(logged(arm, evaluation, from + j, scores[j], decisions[j]));
            }
        }
        boolean[] analystLabeled = new boolean[scores.length];
        Instant reviewedAt = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(reviewDelay);
        for (List<Integer> card : reviewed) {
            for (int j : card) {
                analystLabeled[j] = true;
                send(arm, evaluation, from + j, scores[j], decisions[j], LabelSource.ANALYST, reviewedAt);
            }
        }
        for (int j = 0; j < scores.length; j++) {
            if (fraud[j] && !analystLabeled[j]) {
                CsvTransaction row = evaluation.rows().get(from + j);
                int index = from + j;
                float score = scores[j];
                DecisionPolicy.Decision decision = decisions[j];
                // the cardholder's report, when there is one, is the fraud's first label; the chargeback follows
                reports.reportTime(row.transactionId(), row.eventTime()).ifPresent(at ->
                        send(arm, evaluation, index, score, decision, LabelSource.CARDHOLDER, at));
                send(arm, evaluation, index, score, decision, LabelSource.CHARGEBACK,
                        row.eventTime().plus(CHARGEBACK_DELAY));
            }
        }
        return new int[] {alerts, waveAlerts, reviewed.size(), waveReviewed};
    }

    /** The day's decisions by the arm's review budget, in the scorer's batches (of {@value #SCORE_BATCH}). */
    private DecisionPolicy.Decision[] decide(Arm arm, Evaluation evaluation, int from, float[] scores) {
        DecisionPolicy.Decision[] decisions = new DecisionPolicy.Decision[scores.length];
        for (int start = 0; start < scores.length; start += SCORE_BATCH) {
            int n = Math.min(SCORE_BATCH, scores.length - start);
            List<String> ids = new ArrayList<>(n);
            List<String> cards = new ArrayList<>(n);
            long[] times = new long[n];
            for (int j = 0; j < n; j++) {
                CsvTransaction row = evaluation.rows().get(from + start + j);
                ids.add(row.transactionId());
                cards.add(row.cardId());
                times[j] = row.eventTime().toEpochMilli();
            }
            System.arraycopy(arm.budget.decide(ids, cards, times, java.util.Arrays.copyOfRange(scores, start, start + n)), 0,
                    decisions, start, n);
        }
        return decisions;
    }

    /**
     * The analysts' rule ({@code ReviewDesk}): among the cards with a transaction sent to review that day, exploration
     * requests first, then by the card's highest score, then by card id; the top {@code reviewCards} are reviewed.
     */
    private List<List<Integer>> reviewedCards(Map<String, List<Integer>> sentByCard, float[] scores,
            DecisionPolicy.Decision[] decisions) {
        record Candidate(String card, boolean exploration, double maxScore, List<Integer> transactions) {}
        List<Candidate> candidates = new ArrayList<>();
        sentByCard.forEach((card, tx) -> {
            boolean exploration = tx.stream().anyMatch(j -> DecisionPolicy.EXPLORE.equals(decisions[j].name()));
            double max = tx.stream().mapToDouble(j -> scores[j]).max().orElse(Double.NaN);
            candidates.add(new Candidate(card, exploration, max, tx));
        });
        candidates.sort(Comparator.comparing((Candidate c) -> !c.exploration())
                .thenComparing(Candidate::maxScore, Comparator.reverseOrder())
                .thenComparing(Candidate::card));
        return candidates.stream().limit(reviewCards).map(Candidate::transactions).toList();
    }

    private void send(Arm arm, Evaluation evaluation, int index, float score, DecisionPolicy.Decision decision,
            LabelSource source, Instant labelTime) {
        arm.inFlight.add(new LabeledDecision(logged(arm, evaluation, index, score, decision),
                evaluation.rows().get(index).isFraud(), source, labelTime, 0, arm.labelOffset++));
    }

    /** The decision as the scorer logs it on {@code fraud.scores}. */
    private LoggedDecision logged(Arm arm, Evaluation evaluation, int index, float score,
            DecisionPolicy.Decision decision) {
        CsvTransaction row = evaluation.rows().get(index);
        return new LoggedDecision(row.transactionId(), row.cardId(), row.eventTime(), row.amount().minorUnits(),
                row.amount().currency(), score, decision.name(), decision.reviewProbability(), modelId,
                Long.toString(arm.sequence), evaluation.inputs().get(index).toLittleEndianBytes());
    }

    /** The feedback loop's cycle at {@code now}, as {@code FeedbackLoop} runs it; returns what happened. */
    private String cycle(Arm arm, Instant now, OnnxScorer scorer) {
        while (!arm.inFlight.isEmpty() && !arm.inFlight.peek().labelTime().isAfter(now)) {
            arm.window.add(arm.inFlight.poll());
        }
        List<LabeledDecision> window = arm.window.snapshot();
        // the simulated clock: decisions past their chargeback window by now, unlabeled, are genuine
        Instant horizon = now.minus(LABEL_RETENTION);
        arm.sampledDecisions.removeIf(d -> d.eventTime().isBefore(horizon));
        List<LabeledDecision> negatives = matured.select(arm.sampledDecisions, arm.window::contains, now, horizon);
        PromotionGate.Split split = gate.split(window, negatives, now, matured.labelDelay());
        String insufficient = split.train().size() < MIN_TRAIN
                ? split.train().size() + " training labels, an update needs " + MIN_TRAIN
                : gate.insufficient(split.holdout());
        if (insufficient != null) {
            return "skipped (" + insufficient + ")";
        }
        TrainingExamples examples = TrainingExamples.of(split.train(), reward,
                ImportanceWeights.defaults());
        PolicyUpdate.Result result;
        try {
            result = new PolicyUpdate(base, update).run(arm.adapter, split.train(), examples);
        } catch (IllegalStateException | IllegalArgumentException e) { // as FeedbackLoop: the cycle is skipped
            return "skipped (the update failed: " + e.getMessage() + ")";
        }
        FeatureBatch holdout = PolicyUpdate.features(network, split.holdout());
        float[] live = scorer.scoreWithLogits(holdout, arm.adapter).probabilities();
        float[] candidate = scorer.scoreWithLogits(holdout, result.candidate()).probabilities();
        PromotionGate.Verdict verdict = gate.judge(split.holdout(), live, candidate);
        String numbers = String.format(java.util.Locale.ROOT, "%d train (%d matured) / %d holdout (%d matured, %d "
                        + "frauds), holdout AP %.3f -> %.3f, CP@%d %.3f -> %.3f", split.train().size(),
                matured(split.train()), split.holdout().size(), matured(split.holdout()), verdict.holdoutFrauds(),
                verdict.liveAp(), verdict.candidateAp(), verdict.k(), verdict.liveCp(), verdict.candidateCp());
        if (verdict.promoted()) {
            arm.adapter = result.candidate();
            arm.sequence++;
            return "promoted adapter " + arm.sequence + ", " + numbers;
        }
        return "refused, " + numbers;
    }

    private static long matured(List<LabeledDecision> labeled) {
        return labeled.stream().filter(LabeledDecision::matured).count();
    }

    private float[] score(OnnxScorer scorer, Adapter adapter, List<ModelInputs> inputs) {
        float[] out = new float[inputs.size()];
        for (int start = 0; start < inputs.size(); start += SCORE_BATCH) {
            int b = Math.min(SCORE_BATCH, inputs.size() - start);
            float[] seq = new float[b * network.seqLen() * network.seqFeatures()];
            float[] mask = new float[b * network.seqLen()];
            float[] dense = new float[b * network.denseFeatures()];
            for (int r = 0; r < b; r++) {
                inputs.get(start + r).copyInto(r, seq, mask, dense);
            }
            float[] p = scorer.scoreWithLogits(new FeatureBatch(b, seq, mask, dense), adapter).probabilities();
            System.arraycopy(p, 0, out, start, b);
        }
        return out;
    }

    /** [from, to) of each UTC day in rows (in event-time order). */
    private static Map<LocalDate, int[]> dayRanges(List<CsvTransaction> rows) {
        Map<LocalDate, int[]> ranges = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            LocalDate day = LocalDate.ofInstant(rows.get(i).eventTime(), ZoneOffset.UTC);
            int index = i;
            ranges.computeIfAbsent(day, d -> new int[] {index, index})[1] = i + 1;
        }
        return ranges;
    }

    private static Map<LocalDate, Double> byDay(CardPrecision cp) {
        Map<LocalDate, Double> out = new HashMap<>();
        for (CardPrecision.Day d : cp.days()) {
            out.put(d.day(), d.precision());
        }
        return out;
    }
}
