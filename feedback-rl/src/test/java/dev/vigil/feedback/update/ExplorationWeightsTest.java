package dev.vigil.feedback.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The labels analysts give come only from what the scorer sent them: the top of the score range with probability 1,
 * and the explorations, drawn across every score with a logged probability. Weighted by {@link ImportanceWeights}
 * (1 / that probability), they estimate what happens in the whole population, the part the model scores near zero
 * included: here, the number of frauds among the low scores, known exactly in a synthetic population, over many draws
 * of the policy.
 */
class ExplorationWeightsTest {

    static final Instant T = Instant.parse("2026-01-10T12:00:00Z");
    static final int PAYMENTS = 20_000;
    static final double EXPLORE = 0.005;
    static final double BAND = 0.2; // scores at or above it are reviewed with probability 1
    static final double LOW = 0.01; // "near zero": where only exploration looks

    /** A payment's score and whether it is a fraud; fixed for the whole test, only the policy's draws vary. */
    record Payment(String id, double score, boolean fraud) {}

    static final List<Payment> POPULATION = population(new SplittableRandom(11));

    @Test
    void exploredLabelsWeightedByTheirLoggedProbabilityEstimateTheFraudsTheModelScoresNearZero() {
        long truth = POPULATION.stream().filter(p -> p.score() < LOW && p.fraud()).count();
        assertThat(truth).as("a pattern the model misses: frauds it scores near zero").isGreaterThan(100);
        ImportanceWeights unclipped = new ImportanceWeights(EXPLORE / 2, 1.0);

        int draws = 800;
        double[] weighted = new double[draws];
        double[] unweighted = new double[draws];
        SplittableRandom policy = new SplittableRandom(12);
        for (int d = 0; d < draws; d++) {
            for (LabeledDecision l : labels(policy)) {
                if (l.decision().score() < LOW && l.fraud()) {
                    weighted[d] += unclipped.weight(l);
                    unweighted[d] += 1;
                }
            }
        }
        double mean = mean(weighted);
        double standardError = Math.sqrt(variance(weighted, mean) / draws);
        assertThat(Math.abs(mean - truth)).as("weighted: mean %.1f +- %.1f against %d", mean, standardError, truth)
                .isLessThan(3 * standardError);
        assertThat(standardError).as("800 draws pin it to a few percent").isLessThan(0.05 * truth);
        assertThat(mean(unweighted)).as("counted as seen, the explored frauds are about 1 in 200 of them")
                .isLessThan(0.02 * truth);
    }

    @Test
    void aFloorAboveTheExplorationProbabilityTradesThatBiasForLessVariance() {
        long truth = POPULATION.stream().filter(p -> p.score() < LOW && p.fraud()).count();
        ImportanceWeights floored = new ImportanceWeights(0.05, 1.0); // weights at most 20, the exploration's 200
        SplittableRandom policy = new SplittableRandom(13);
        double total = 0;
        int draws = 200;
        for (int d = 0; d < draws; d++) {
            for (LabeledDecision l : labels(policy)) {
                if (l.decision().score() < LOW && l.fraud()) {
                    total += floored.weight(l);
                }
            }
        }
        assertThat(total / draws).as("under-counted by the floor: 20 / 200").isBetween(0.05 * truth, 0.15 * truth);
    }

    /** One day of the policy: every payment at or above the band is reviewed, every other explored at EXPLORE. */
    private static List<LabeledDecision> labels(SplittableRandom random) {
        List<LabeledDecision> labeled = new ArrayList<>();
        long offset = 0;
        for (Payment p : POPULATION) {
            String decision;
            double probability;
            if (p.score() >= BAND) {
                decision = "review";
                probability = 1.0;
            } else if (random.nextDouble() < EXPLORE) {
                decision = "explore";
                probability = EXPLORE;
            } else {
                continue; // passed: no analyst sees it
            }
            LoggedDecision logged = new LoggedDecision(p.id(), "card-" + p.id(), T, 1_000, "EUR", p.score(), decision,
                    probability, "m", "1", null);
            labeled.add(new LabeledDecision(logged, p.fraud(), LabelSource.ANALYST, T.plusSeconds(3600), 0, offset++));
        }
        return labeled;
    }

    /**
     * Scores with logits uniform in [-9, 1]; a payment is a fraud with probability its score, and, for a new pattern
     * the model does not know, 3% of the payments it scores below {@link #LOW} are frauds too.
     */
    private static List<Payment> population(SplittableRandom random) {
        List<Payment> payments = new ArrayList<>(PAYMENTS);
        for (int i = 0; i < PAYMENTS; i++) {
            double score = 1 / (1 + Math.exp(-random.nextDouble(-9, 1)));
            boolean fraud = random.nextDouble() < score || (score < LOW && random.nextDouble() < 0.03);
            payments.add(new Payment("t" + i, score, fraud));
        }
        return List.copyOf(payments);
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double variance(double[] x, double mean) {
        double s = 0;
        for (double v : x) {
            s += (v - mean) * (v - mean);
        }
        return s / (x.length - 1);
    }
}
