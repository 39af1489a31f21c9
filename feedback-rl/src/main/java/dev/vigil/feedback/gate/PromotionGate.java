package dev.vigil.feedback.gate;

import dev.vigil.evaluation.AveragePrecision;
import dev.vigil.evaluation.CardPrecisionAtK;
import dev.vigil.evaluation.KnownCompromisedCards;
import dev.vigil.evaluation.ScoredTransaction;
import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.labels.LabelWindow;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.schemas.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Decides whether a candidate adapter may replace the live one. Both score the same holdout, the most recent
 * {@code holdoutShare} of the labeled decisions by label time (kept out of training), with the int8 serving graph
 * on the logged model inputs; the candidate is promoted only if
 *
 * <pre>
 *   AP(candidate)   >= AP(live)   - apTolerance     and
 *   CP@k(candidate) >= CP@k(live) - cpTolerance
 * </pre>
 *
 * AP is scikit-learn's average precision over the holdout's labeled transactions; CP@k is the Handbook's card
 * precision@k per day (UTC day of the transaction), averaged over the holdout's days, with no known-compromised
 * exclusion (every holdout card is unlabeled to the candidate). The holdout holds the labels that came back and the
 * matured negatives of the same period ({@link #split(List, List)}), so both rank over a sample of all traffic, not
 * over the alerts analysts saw only; the matured negatives count once each (not 1 / rate), so the numbers are above
 * live precision: a guard against regressions, not an estimate of it.
 */
public final class PromotionGate {

    static final int BOOTSTRAP_RESAMPLES = 200;
    private static final long BOOTSTRAP_SEED = 20261124L;

    private final GateOptions options;
    private final ToDoubleFunction<LabeledDecision> weight;

    /** A gate whose AP weighs each holdout decision by the default {@link ImportanceWeights}. */
    public PromotionGate(GateOptions options) {
        this(options, ImportanceWeights.defaults()::weight);
    }

    /**
     * A gate whose AP weighs each holdout decision by {@code weight}: the inverse of the probability that it was
     * labeled (or sampled, for a matured negative), so the holdout ranks as the traffic it was drawn from.
     */
    public PromotionGate(GateOptions options, ToDoubleFunction<LabeledDecision> weight) {
        this.options = options;
        this.weight = weight;
    }

    /** A window cut into training labels and the holdout after them. */
    public record Split(List<LabeledDecision> train, List<LabeledDecision> holdout) {}

    /**
     * The most recent {@code holdoutShare} of {@code window} (which must be sorted by label time), at least one
     * label, as the holdout; the rest for training.
     */
    public Split split(List<LabeledDecision> window) {
        return split(window, List.of());
    }

    /**
     * The split of {@code labels} (sorted by label time) as {@link #split(List)}, then the {@code matured} negatives
     * on the same side of the cut by label time (their maturity): the holdout then ranks over all traffic of its
     * period, not over the alerts analysts saw only. Both sides sorted by label time.
     */
    public Split split(List<LabeledDecision> labels, List<LabeledDecision> matured) {
        int holdout = (int) Math.ceil(labels.size() * options.holdoutShare());
        holdout = Math.min(labels.size(), Math.max(labels.isEmpty() ? 0 : 1, holdout));
        int cut = labels.size() - holdout;
        List<LabeledDecision> train = new ArrayList<>(labels.subList(0, cut));
        List<LabeledDecision> test = new ArrayList<>(labels.subList(cut, labels.size()));
        Instant cutTime = test.isEmpty() ? null : test.get(0).labelTime();
        for (LabeledDecision m : matured) {
            (cutTime == null || m.labelTime().isBefore(cutTime) ? train : test).add(m);
        }
        train.sort(LabelWindow.BY_LABEL_TIME);
        test.sort(LabelWindow.BY_LABEL_TIME);
        return new Split(List.copyOf(train), List.copyOf(test));
    }

    /**
     * The split a cycle uses at {@code now}: with {@code completeHoldout} on, the holdout is every labeled decision
     * and matured negative whose event time lies in the {@code completeHoldout} before {@code now - labelDelay}: every
     * label of those payments is in (the analysts' long since, the chargebacks now), so, weighted, they rank as all
     * traffic of that span did. The label-time split ({@link #split(List, List)}) holds the newest labels instead,
     * which for the older payments among them are only the chargebacks of what the live adapter missed: a candidate
     * that lifts what live scored low looks better there than it is. Falls back to the label-time split when the
     * complete span cannot judge ({@link #insufficient}), e.g. in a loop younger than the label delay.
     */
    public Split split(List<LabeledDecision> labels, List<LabeledDecision> matured, Instant now,
            java.time.Duration labelDelay) {
        if (options.completeHoldout().isZero()) {
            return split(labels, matured);
        }
        Instant to = now.minus(labelDelay);
        Instant from = to.minus(options.completeHoldout());
        List<LabeledDecision> train = new ArrayList<>();
        List<LabeledDecision> test = new ArrayList<>();
        for (List<LabeledDecision> part : List.of(labels, matured)) {
            for (LabeledDecision d : part) {
                Instant t = d.decision().eventTime();
                (!t.isBefore(from) && t.isBefore(to) ? test : train).add(d);
            }
        }
        if (insufficient(test) != null) {
            return split(labels, matured);
        }
        train.sort(LabelWindow.BY_LABEL_TIME);
        test.sort(LabelWindow.BY_LABEL_TIME);
        return new Split(List.copyOf(train), List.copyOf(test));
    }

    /** Why a holdout cannot judge a candidate, or null when it can. */
    public String insufficient(List<LabeledDecision> holdout) {
        long frauds = holdout.stream().filter(LabeledDecision::fraud).count();
        if (holdout.size() < options.minHoldout()) {
            return "holdout has " + holdout.size() + " labels, the gate needs " + options.minHoldout();
        }
        if (frauds < options.minHoldoutFrauds()) {
            return "holdout has " + frauds + " frauds, the gate needs " + options.minHoldoutFrauds();
        }
        if (frauds == holdout.size()) {
            return "holdout has no genuine transaction";
        }
        return null;
    }

    /**
     * The verdict on one candidate.
     *
     * @param promoted whether the candidate may go live
     * @param reason   a sentence saying why, with the numbers
     */
    public record Verdict(boolean promoted, double liveAp, double candidateAp, double liveCp, double candidateCp,
            int holdout, long holdoutFrauds, int k, String reason) {

        /** The numbers a release carries. */
        public Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("holdout_ap", candidateAp);
            m.put("holdout_ap_live", liveAp);
            m.put("holdout_cp_at_k", candidateCp);
            m.put("holdout_cp_at_k_live", liveCp);
            m.put("holdout_k", (double) k);
            m.put("holdout_labels", (double) holdout);
            m.put("holdout_frauds", (double) holdoutFrauds);
            return m;
        }
    }

    /** Judges a candidate from both adapters' scores of {@code holdout} (same order). */
    public Verdict judge(List<LabeledDecision> holdout, float[] liveScores, float[] candidateScores) {
        if (liveScores.length != holdout.size() || candidateScores.length != holdout.size()) {
            throw new IllegalArgumentException("scores for " + liveScores.length + "/" + candidateScores.length
                    + " transactions, holdout has " + holdout.size());
        }
        long frauds = holdout.stream().filter(LabeledDecision::fraud).count();
        int n = holdout.size();
        boolean[] fraud = new boolean[n];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            fraud[i] = holdout.get(i).fraud();
            weights[i] = weight.applyAsDouble(holdout.get(i));
        }
        double liveAp = averagePrecision(liveScores, fraud, weights);
        double candidateAp = averagePrecision(candidateScores, fraud, weights);
        double liveCp = cardPrecision(holdout, liveScores);
        double candidateCp = cardPrecision(holdout, candidateScores);
        String insufficient = insufficient(holdout);
        boolean promoted;
        String reason;
        if (insufficient != null) {
            promoted = false;
            reason = insufficient;
        } else if (Double.isNaN(candidateAp) || Double.isNaN(candidateCp)) {
            promoted = false;
            reason = "candidate metrics are undefined on this holdout";
        } else {
            boolean apOk = candidateAp >= liveAp - options.apTolerance();
            boolean cpOk = candidateCp >= liveCp - options.cpTolerance();
            double wins = options.evidence() > 0 ? bootstrapWins(fraud, weights, liveScores, candidateScores)
                    : Double.NaN;
            boolean evidenceOk = options.evidence() == 0 || wins >= options.evidence();
            promoted = apOk && cpOk && evidenceOk;
            reason = String.format(Locale.ROOT, "AP %.4f vs live %.4f (tolerance %.4f, %s); CP@%d %.4f vs live %.4f "
                    + "(tolerance %.4f, %s); %s; %d holdout labels, %d frauds", candidateAp, liveAp,
                    options.apTolerance(), apOk ? "ok" : "worse", options.k(), candidateCp, liveCp,
                    options.cpTolerance(), cpOk ? "ok" : "worse", options.evidence() == 0 ? "no evidence required"
                            : String.format(Locale.ROOT, "AP better in %.0f%% of %d resamples (needs %.0f%%, %s)",
                            100 * wins, BOOTSTRAP_RESAMPLES, 100 * options.evidence(), evidenceOk ? "ok" : "not shown"),
                    holdout.size(), frauds);
        }
        return new Verdict(promoted, liveAp, candidateAp, liveCp, candidateCp, holdout.size(), frauds, options.k(),
                reason);
    }

    /**
     * The share of paired bootstrap resamples of the holdout (the same drawn transactions for both adapters; a fixed
     * seed, so the same holdout gives the same answer) in which the candidate's weighted AP is above the live one's.
     */
    private static double bootstrapWins(boolean[] fraud, double[] w, float[] liveScores, float[] candidateScores) {
        int n = fraud.length;
        java.util.SplittableRandom random = new java.util.SplittableRandom(BOOTSTRAP_SEED);
        double[] live = new double[n];
        double[] candidate = new double[n];
        boolean[] f = new boolean[n];
        double[] rw = new double[n];
        int wins = 0;
        for (int b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                live[i] = liveScores[j];
                candidate[i] = candidateScores[j];
                f[i] = fraud[j];
                rw[i] = w[j];
            }
            double a = AveragePrecision.weighted(candidate, f, rw);
            double l = AveragePrecision.weighted(live, f, rw);
            wins += a > l ? 1 : 0;
        }
        return (double) wins / BOOTSTRAP_RESAMPLES;
    }

    private static double averagePrecision(float[] scores, boolean[] fraud, double[] weights) {
        double[] s = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            s[i] = scores[i];
        }
        return AveragePrecision.weighted(s, fraud, weights);
    }

    private double cardPrecision(List<LabeledDecision> holdout, float[] scores) {
        List<ScoredTransaction> scored = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            LoggedDecision d = holdout.get(i).decision();
            String currency = d.currency() == null || d.currency().isBlank() ? Money.DEFAULT_CURRENCY : d.currency();
            scored.add(new ScoredTransaction(d.transactionId(), d.cardId(), d.eventTime(),
                    new Money(d.amountMinor(), currency), holdout.get(i).fraud(), scores[i], false));
        }
        return new CardPrecisionAtK(options.k()).compute(scored, KnownCompromisedCards.none()).mean();
    }
}
