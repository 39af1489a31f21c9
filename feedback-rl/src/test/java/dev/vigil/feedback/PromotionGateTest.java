package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.gate.PromotionGate;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

    private static final Instant DAY = Instant.parse("2026-01-10T08:00:00Z");

    /** 40 labeled decisions on 40 cards, one day; every 5th is fraud. */
    /** The default gate with minimums this file's 40-label holdout (8 frauds) meets. */
    static final GateOptions SMALL_HOLDOUT = GateOptions.defaults().withMinimums(8, 2);

    static List<LabeledDecision> holdout() {
        List<LabeledDecision> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            LoggedDecision d = new LoggedDecision("t" + i, "c" + i, DAY.plusSeconds(i), 100, "EUR", 0.5, "alert", 1,
                    "m", "1", null);
            out.add(new LabeledDecision(d, i % 5 == 0, LabelSource.ANALYST, DAY.plusSeconds(3600 + i), 0, i));
        }
        return out;
    }

    /** Frauds on top except for {@code misplaced} of them, which rank below every genuine transaction. */
    static float[] scores(List<LabeledDecision> holdout, int misplaced) {
        float[] s = new float[holdout.size()];
        int moved = 0;
        for (int i = 0; i < s.length; i++) {
            if (holdout.get(i).fraud()) {
                s[i] = moved++ < misplaced ? 0.01f * (i + 1) / 100 : 0.9f + i / 1000f;
            } else {
                s[i] = 0.1f + i / 1000f;
            }
        }
        return s;
    }

    @Test
    void aCandidateWorseBeyondTheToleranceIsRefused() {
        List<LabeledDecision> holdout = holdout();
        PromotionGate gate = new PromotionGate(SMALL_HOLDOUT.withEvidence(0).withTolerance(0.05, 0.05));
        PromotionGate.Verdict verdict = gate.judge(holdout, scores(holdout, 0), scores(holdout, 3));
        assertThat(verdict.liveAp()).isEqualTo(1.0);
        assertThat(verdict.candidateAp()).isLessThan(0.95);
        assertThat(verdict.promoted()).isFalse();
        assertThat(verdict.reason()).contains("worse");
    }

    @Test
    void aCandidateWorseWithinTheToleranceIsPromoted() {
        List<LabeledDecision> holdout = holdout();
        float[] live = scores(holdout, 0);
        float[] candidate = live.clone();
        // one genuine transaction moves above the lowest-ranked fraud: AP 1.0 -> 1 - (1 - 8/9)/8 = 0.986
        candidate[1] = 0.9f + 0.0005f;
        PromotionGate.Verdict strict = new PromotionGate(SMALL_HOLDOUT.withEvidence(0).withTolerance(0.001, 0.5))
                .judge(holdout, live, candidate);
        PromotionGate.Verdict tolerant = new PromotionGate(SMALL_HOLDOUT.withEvidence(0).withTolerance(0.02, 0.5))
                .judge(holdout, live, candidate);
        assertThat(tolerant.candidateAp()).isBetween(0.98, 0.99);
        assertThat(strict.promoted()).isFalse();
        assertThat(tolerant.promoted()).isTrue();
        assertThat(tolerant.metrics()).containsKeys("holdout_ap", "holdout_ap_live", "holdout_cp_at_k",
                "holdout_cp_at_k_live");
    }

    @Test
    void cardPrecisionCountsTheFraudulentCardsInTheTopK() {
        List<LabeledDecision> holdout = holdout();
        PromotionGate gate = new PromotionGate(new GateOptions(0.2, 20, 2, 10, 0.01, 0.01, 0, java.time.Duration.ZERO));
        PromotionGate.Verdict verdict = gate.judge(holdout, scores(holdout, 0), scores(holdout, 4));
        // 8 fraudulent cards: all in the top 10 for live, 4 for the candidate
        assertThat(verdict.liveCp()).isEqualTo(0.8);
        assertThat(verdict.candidateCp()).isEqualTo(0.4);
        assertThat(verdict.promoted()).isFalse();
    }

    @Test
    void aHoldoutWithTooFewFraudsCannotPromote() {
        List<LabeledDecision> holdout = holdout().stream().filter(l -> !l.fraud() || l.labelOffset() == 0).toList();
        PromotionGate gate = new PromotionGate(SMALL_HOLDOUT);
        float[] s = new float[holdout.size()];
        assertThat(gate.insufficient(holdout)).contains("1 frauds");
        assertThat(gate.judge(holdout, s, s).promoted()).isFalse();
    }

    @Test
    void byDefaultAYoungLoopsSmallAlertOnlyHoldoutWaits() {
        // the demo's first promotion came from a holdout like this: 51 labels, 22 frauds, all from reviews
        List<LabeledDecision> young = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            LoggedDecision d = new LoggedDecision("y" + i, "c" + i, DAY.plusSeconds(i), 100, "EUR", 0.6, "alert", 1,
                    "m", "1", null);
            young.add(new LabeledDecision(d, i < 22, LabelSource.ANALYST, DAY.plusSeconds(3600 + i), 0, i));
        }
        PromotionGate gate = new PromotionGate(GateOptions.defaults());
        float[] s = scores(young, 0);

        assertThat(gate.insufficient(young)).isEqualTo("holdout has 51 labels, the gate needs 200");
        assertThat(gate.judge(young, new float[young.size()], s).promoted()).isFalse();
        assertThat(new PromotionGate(SMALL_HOLDOUT).insufficient(young)).isNull();
        assertThat(new PromotionGate(SMALL_HOLDOUT.withEvidence(0)).judge(young, new float[young.size()], s)
                .promoted()).as("the same holdout would promote with the old minimums").isTrue();
    }

    @Test
    void theHoldoutIsTheMostRecentShareByLabelTime() {
        List<LabeledDecision> window = holdout();
        PromotionGate.Split split = new PromotionGate(SMALL_HOLDOUT).split(window);
        assertThat(split.holdout()).hasSize(8);
        assertThat(split.train()).hasSize(32);
        assertThat(split.holdout().get(0).labelTime()).isAfter(split.train().get(31).labelTime());
    }

    @Test
    void maturedNegativesFallOnTheSideOfTheCutTheirMaturityIsOn() {
        List<LabeledDecision> labels = holdout();
        Instant cut = labels.get(32).labelTime();
        List<LabeledDecision> matured = List.of(
                LabeledDecision.maturedNegative(new LoggedDecision("m-before", "mc1", DAY.minusSeconds(86_400 * 7),
                        100, "EUR", 0.1, "pass", 0, "m", "1", null), cut.minusSeconds(1), 0.1),
                LabeledDecision.maturedNegative(new LoggedDecision("m-after", "mc2", DAY.minusSeconds(86_400 * 6),
                        100, "EUR", 0.1, "pass", 0, "m", "1", null), cut.plusMillis(500), 0.1));
        PromotionGate.Split split = new PromotionGate(SMALL_HOLDOUT).split(labels, matured);

        assertThat(split.train()).hasSize(33).extracting(LabeledDecision::transactionId).contains("m-before");
        assertThat(split.holdout()).hasSize(9).extracting(LabeledDecision::transactionId).contains("m-after");
        assertThat(split.holdout().get(0).labelTime()).isEqualTo(cut);
        assertThat(split.holdout()).isSortedAccordingTo(dev.vigil.feedback.labels.LabelWindow.BY_LABEL_TIME);
    }

    @Test
    void theCompleteHoldoutIsTheSpanBeforeTheChargebackWindowWithEveryKindOfLabel() {
        // payments every hour over 12 days; frauds every 5th; "now" is the end, the label delay 7 days, span 2 days:
        // the holdout is the payments of days 3 and 4 (event time), whatever their label time
        Instant start = DAY;
        List<LabeledDecision> labels = new ArrayList<>();
        List<LabeledDecision> matured = new ArrayList<>();
        for (int h = 0; h < 12 * 24; h++) {
            Instant t = start.plusSeconds(3600L * h);
            boolean fraud = h % 5 == 0;
            LoggedDecision d = new LoggedDecision("t" + h, "c" + h, t, 100, "EUR", fraud ? 0.9 : 0.1,
                    fraud ? "alert" : "pass", fraud ? 1 : 0, "m", "1", null);
            if (fraud) {
                labels.add(new LabeledDecision(d, true, LabelSource.ANALYST, t.plusSeconds(3600), 0, h));
            } else if (h % 3 == 0 && h < 5 * 24) {
                matured.add(LabeledDecision.maturedNegative(d, t.plus(java.time.Duration.ofDays(7)), 0.1));
            }
        }
        labels.sort(dev.vigil.feedback.labels.LabelWindow.BY_LABEL_TIME);
        Instant now = start.plus(java.time.Duration.ofDays(12));
        PromotionGate gate = new PromotionGate(GateOptions.defaults().withMinimums(20, 2)
                .withCompleteHoldout(java.time.Duration.ofDays(2)));

        PromotionGate.Split split = gate.split(labels, matured, now, java.time.Duration.ofDays(7));

        Instant from = start.plus(java.time.Duration.ofDays(3));
        Instant to = start.plus(java.time.Duration.ofDays(5));
        assertThat(split.holdout()).isNotEmpty().allSatisfy(d -> assertThat(d.decision().eventTime())
                .isAfterOrEqualTo(from).isBefore(to));
        assertThat(split.holdout()).anyMatch(LabeledDecision::matured).anyMatch(LabeledDecision::fraud);
        assertThat(split.train()).noneMatch(d -> !d.decision().eventTime().isBefore(from)
                && d.decision().eventTime().isBefore(to));
        assertThat(split.train().size() + split.holdout().size()).isEqualTo(labels.size() + matured.size());
        // labels newer than the span train (the label-time split would have held them out)
        assertThat(split.train()).anyMatch(d -> d.decision().eventTime().isAfter(to));

        // a loop younger than the label delay has no complete span: the newest labels judge instead
        PromotionGate.Split young = gate.split(labels, matured, start.plus(java.time.Duration.ofDays(8)),
                java.time.Duration.ofDays(7));
        assertThat(young).isEqualTo(gate.split(labels, matured));
    }

    @Test
    void withEvidenceRequiredACandidateNoBetterThanLiveIsRefusedAndAClearlyBetterOneIsPromoted() {
        List<LabeledDecision> holdout = holdout();
        float[] live = scores(holdout, 3);
        PromotionGate gate = new PromotionGate(SMALL_HOLDOUT.withEvidence(0.9).withTolerance(0.05, 0.5));

        PromotionGate.Verdict same = gate.judge(holdout, live, live.clone());
        PromotionGate.Verdict better = gate.judge(holdout, live, scores(holdout, 0));

        assertThat(same.promoted()).as(same.reason()).isFalse();
        assertThat(same.reason()).contains("not shown");
        assertThat(better.promoted()).as(better.reason()).isTrue();
    }
}
