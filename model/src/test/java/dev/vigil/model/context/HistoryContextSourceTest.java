package dev.vigil.model.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.avro.LabelSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistoryContextSourceTest {

    private static final Instant T = Instant.parse("2026-03-20T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration MS = Duration.ofMillis(1);

    private final HistoryContextSource source = new HistoryContextSource(3);

    private void transaction(String id, String merchant, Instant time, float... vector) {
        source.recordTransaction(new Case(id, "card", merchant, time, 100, "EUR", vector.length == 0 ? new float[] {1, 0, 0} : vector));
    }

    private void fraud(String id, Instant labelTime) {
        source.recordLabel(new CaseLabel(id, true, labelTime, LabelSource.CHARGEBACK));
    }

    @Test
    void countsTransactionsStrictlyInsideEachWindowAndNeverTheInstantItself() {
        transaction("a", "m", T.minus(DAY));                 // on the 1-day boundary: out of (t - 1d, t)
        transaction("b", "m", T.minus(DAY).plus(MS));        // in
        transaction("c", "m", T.minus(Duration.ofDays(7)).plus(MS));
        transaction("d", "m", T.minus(Duration.ofDays(30)));  // out of every window
        transaction("e", "m", T);                            // the payment itself (or its twin): never counted
        transaction("f", "other", T.minus(Duration.ofHours(1)));
        MerchantContext m = source.merchant("m", T);
        assertThat(m.transactions1d()).isEqualTo(1);
        assertThat(m.transactions7d()).isEqualTo(3);
        assertThat(m.transactions30d()).isEqualTo(3);
        MerchantContext oneMsLater = source.merchant("m", T.plus(MS)); // b now sits on the boundary, e is inside
        assertThat(oneMsLater.transactions1d()).isEqualTo(1);
        assertThat(oneMsLater.transactions7d()).isEqualTo(3);
        assertThat(source.merchant("nobody", T)).isEqualTo(MerchantContext.NOTHING_KNOWN);
    }

    @Test
    void aFraudLabelCountsFromItsLabelTimeOnAndIsInvisibleOneMillisecondBefore() {
        transaction("x", "m", T.minus(Duration.ofDays(8)));
        fraud("x", T.plus(MS));
        MerchantContext before = source.merchant("m", T);
        assertThat(before.fraud1d()).isZero();
        assertThat(before.fraud30d()).isZero();
        assertThat(before.daysSinceLastFraud()).isEqualTo(MerchantContext.DAYS_SINCE_FRAUD_CAP);
        assertThat(source.similar(new float[] {1, 0, 0}, T, 5).found()).isZero();

        MerchantContext at = source.merchant("m", T.plus(MS));
        assertThat(at.fraud1d()).isEqualTo(1);
        assertThat(at.daysSinceLastFraud()).isZero();
        assertThat(source.similar(new float[] {1, 0, 0}, T.plus(MS), 5).neighbours())
                .containsExactly(new SimilarCase("x", 1.0));
    }

    @Test
    void fraudWindowsAreHalfOpenOnLabelTime() {
        for (int i = 0; i < 4; i++) {
            transaction("x" + i, "m", T.minus(Duration.ofDays(40)));
        }
        fraud("x0", T);                                    // (t - w, t]: at t counts
        fraud("x1", T.minus(DAY));                         // at t - 1d: out of the 1-day window
        fraud("x2", T.minus(Duration.ofDays(7)));          // out of 7, in 30
        fraud("x3", T.minus(Duration.ofDays(45)));         // out of every window
        MerchantContext m = source.merchant("m", T);
        assertThat(List.of(m.fraud1d(), m.fraud7d(), m.fraud30d())).containsExactly(1L, 2L, 3L);
        assertThat(m.daysSinceLastFraud()).isZero();
        assertThat(m.fraudRatio(0)).isEqualTo(1.0);

        MerchantContext later = source.merchant("m", T.plus(Duration.ofHours(36)));
        assertThat(later.fraud1d()).isZero();
        assertThat(later.daysSinceLastFraud()).isEqualTo(1.5);
    }

    @Test
    void similarCasesAreTheNearestFraudCasesLabeledByTAndHappenedBeforeT() {
        transaction("near", "m1", T.minus(DAY), 1, 0.1f, 0);
        transaction("nearer", "m2", T.minus(DAY), 1, 0.01f, 0);
        transaction("far", "m3", T.minus(DAY), 0, 1, 0);
        transaction("opposite", "m3", T.minus(DAY), -1, 0, 0);
        transaction("genuine", "m1", T.minus(DAY), 1, 0, 0);
        transaction("unlabeled", "m1", T.minus(DAY), 1, 0, 0);
        transaction("tooLate", "m1", T.minus(DAY), 1, 0, 0);
        transaction("sameInstant", "m1", T, 1, 0, 0);
        transaction("zero", "m1", T.minus(DAY), 0, 0, 0);
        for (String id : List.of("near", "nearer", "far", "opposite", "zero")) {
            fraud(id, T.minus(Duration.ofHours(1)));
        }
        source.recordLabel(new CaseLabel("genuine", false, T.minus(Duration.ofHours(1)), LabelSource.ANALYST));
        fraud("tooLate", T.plus(MS));
        fraud("sameInstant", T); // labeled by t, but its event time is not before t

        SimilarCases s = source.similar(new float[] {2, 0, 0}, T, 3);
        assertThat(s.neighbours()).extracting(SimilarCase::transactionId).containsExactly("nearer", "near", "far");
        assertThat(s.neighbours().get(0).similarity())
                .isEqualTo(CaseSimilarity.cosine(new float[] {2, 0, 0}, new float[] {1, 0.01f, 0}));
        assertThat(s.neighbours().get(2).similarity()).isZero();
        SimilarCases all = source.similar(new float[] {2, 0, 0}, T, 10);
        assertThat(all.found()).isEqualTo(4); // never the zero vector
        assertThat(all.neighbours().get(3)).isEqualTo(new SimilarCase("opposite", -1.0));
        assertThat(source.similar(new float[] {0, 0, 0}, T, 3)).isEqualTo(SimilarCases.none(3));
    }

    @Test
    void equallySimilarCasesComeInTransactionIdOrder() {
        for (String id : List.of("c", "a", "d", "b")) {
            transaction(id, "m", T.minus(DAY), 0, 0, 1);
            fraud(id, T.minus(DAY));
        }
        assertThat(source.similar(new float[] {0, 0, 3}, T, 3).neighbours()).extracting(SimilarCase::transactionId)
                .containsExactly("a", "b", "c");
    }

    @Test
    void aLaterLabelReplacesAnEarlierOneAndAnOlderOneChangesNothing() {
        transaction("x", "m", T.minus(Duration.ofDays(10)));
        fraud("x", T.minus(Duration.ofDays(3)));
        source.recordLabel(new CaseLabel("x", false, T.minus(Duration.ofDays(1)), LabelSource.ANALYST));
        assertThat(source.merchant("m", T).fraud7d()).isZero();
        assertThat(source.fraudCases()).isZero();

        source.recordLabel(new CaseLabel("x", true, T.minus(Duration.ofDays(2)), LabelSource.CHARGEBACK)); // older
        assertThat(source.merchant("m", T).fraud7d()).isZero();

        fraud("x", T.minus(Duration.ofHours(2)));
        assertThat(source.merchant("m", T).fraud1d()).isEqualTo(1);
        assertThat(source.fraudCases()).isEqualTo(1);
    }

    @Test
    void aChargebackConfirmingACardholdersReportKeepsTheFraudKnownSinceTheReportInEitherOrder() {
        CaseLabel report = new CaseLabel("x", true, T.minus(Duration.ofDays(5)), LabelSource.CARDHOLDER);
        CaseLabel chargeback = new CaseLabel("x", true, T.minus(Duration.ofDays(1)), LabelSource.CHARGEBACK);
        for (List<CaseLabel> order : List.of(List.of(report, chargeback), List.of(chargeback, report))) {
            HistoryContextSource s = new HistoryContextSource(3);
            s.recordTransaction(new Case("x", "card", "m", T.minus(Duration.ofDays(9)), 100, "EUR", new float[] {1, 0, 0}));
            order.forEach(s::recordLabel);
            assertThat(s.merchant("m", T.minus(Duration.ofDays(3))).fraud7d()).as("known from the report on")
                    .isEqualTo(1);
            assertThat(s.merchant("m", T.minus(Duration.ofDays(6))).fraud7d()).isZero();
        }
        // recorded before its case: the pending label keeps the earlier time too
        HistoryContextSource pending = new HistoryContextSource(3);
        pending.recordLabel(chargeback);
        pending.recordLabel(report);
        pending.recordTransaction(new Case("x", "card", "m", T.minus(Duration.ofDays(9)), 100, "EUR",
                new float[] {1, 0, 0}));
        assertThat(pending.merchant("m", T.minus(Duration.ofDays(3))).fraud7d()).isEqualTo(1);
    }

    @Test
    void aLabelRecordedBeforeItsCaseWaitsForIt() {
        fraud("x", T.minus(DAY));
        assertThat(source.pendingLabels()).isEqualTo(1);
        transaction("x", "m", T.minus(Duration.ofDays(8)));
        assertThat(source.pendingLabels()).isZero();
        assertThat(source.merchant("m", T).fraud7d()).isEqualTo(1);
    }

    @Test
    void recordingTheSameCaseTwiceIsHarmlessButConflictingContentIsAnError() {
        transaction("x", "m", T);
        transaction("x", "m", T);
        assertThat(source.size()).isEqualTo(1);
        assertThat(source.merchant("m", T.plus(MS)).transactions1d()).isEqualTo(1);
        assertThatThrownBy(() -> transaction("x", "m", T.plus(MS))).hasMessageContaining("recorded twice");
        assertThatThrownBy(() -> source.recordTransaction(new Case("y", "c", "m", T, 1, "EUR", new float[2])))
                .hasMessageContaining("dimension 2");
    }

    @Test
    void answersAreTheSameWhateverOrderTheHistoryWasRecordedIn() {
        Random rng = new Random(17);
        List<Case> cases = new ArrayList<>();
        List<CaseLabel> labels = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Instant time = T.minus(Duration.ofMinutes(rng.nextInt(60 * 24 * 40)));
            cases.add(new Case("t" + i, "c", "m" + rng.nextInt(5), time, 100, "EUR",
                    new float[] {(float) rng.nextGaussian(), (float) rng.nextGaussian(), (float) rng.nextGaussian()}));
            if (rng.nextInt(4) == 0) {
                labels.add(new CaseLabel("t" + i, true, time.plus(Duration.ofDays(7)), LabelSource.CHARGEBACK));
            }
        }
        HistoryContextSource inOrder = new HistoryContextSource(3);
        cases.stream().sorted((a, b) -> a.eventTime().compareTo(b.eventTime())).forEach(inOrder::recordTransaction);
        labels.stream().sorted((a, b) -> a.labelTime().compareTo(b.labelTime())).forEach(inOrder::recordLabel);
        HistoryContextSource shuffled = new HistoryContextSource(3);
        List<Object> events = new ArrayList<>(cases);
        events.addAll(labels);
        java.util.Collections.shuffle(events, rng);
        for (Object e : events) {
            if (e instanceof Case c) {
                shuffled.recordTransaction(c);
            } else {
                shuffled.recordLabel((CaseLabel) e);
            }
        }
        for (int q = 0; q < 200; q++) {
            Instant asOf = T.minus(Duration.ofMinutes(rng.nextInt(60 * 24 * 40)));
            float[] v = {(float) rng.nextGaussian(), (float) rng.nextGaussian(), (float) rng.nextGaussian()};
            String m = "m" + rng.nextInt(5);
            assertThat(shuffled.merchant(m, asOf)).isEqualTo(inOrder.merchant(m, asOf));
            assertThat(shuffled.similar(v, asOf, 10)).isEqualTo(inOrder.similar(v, asOf, 10));
            assertThat(inOrder.similar(v, asOf, 10)).isEqualTo(bruteForce(cases, labels, v, asOf, 10));
        }
    }

    /** The definition, written as plainly as possible. */
    private static SimilarCases bruteForce(List<Case> cases, List<CaseLabel> labels, float[] v, Instant asOf, int k) {
        List<SimilarCase> candidates = new ArrayList<>();
        for (Case c : cases) {
            boolean fraudByT = labels.stream().anyMatch(l -> l.transactionId().equals(c.transactionId())
                    && l.isFraud() && !l.labelTime().isAfter(asOf));
            if (fraudByT && c.eventTime().isBefore(asOf)) {
                candidates.add(new SimilarCase(c.transactionId(), CaseSimilarity.cosine(v, c.vector())));
            }
        }
        return SimilarCases.ofCandidates(candidates, k);
    }

    @Test
    void aCopyRetainedSinceACutoffAnswersEveryQueryAMonthAfterItAsTheWholeHistoryDoes() {
        Random rng = new Random(5);
        Instant start = T.minus(Duration.ofDays(90));
        for (int i = 0; i < 3_000; i++) {
            String id = "tx-" + i;
            Instant time = start.plusMillis((long) (rng.nextDouble() * 90 * DAY.toMillis()));
            transaction(id, "m" + rng.nextInt(7), time, rng.nextFloat() - 0.5f, rng.nextFloat(), rng.nextFloat() - 0.2f);
            double draw = rng.nextDouble();
            if (draw < 0.05) {
                fraud(id, time.plus(Duration.ofDays(rng.nextInt(20))));
            } else if (draw < 0.08) {
                source.recordLabel(new CaseLabel(id, false, time.plus(Duration.ofHours(5)), LabelSource.ANALYST));
            }
        }
        transaction("tx-recent", "m1", T.minus(DAY));
        transaction("tx-old", "m1", start);
        source.recordLabel(new CaseLabel("tx-late", true, T, LabelSource.CHARGEBACK)); // waits for its case
        Instant cutoff = T.minus(Duration.ofDays(40));
        HistoryContextSource kept = source.retainedSince(cutoff);

        assertThat(kept.size()).isLessThan(source.size()).isGreaterThan(source.size() / 3);
        assertThat(kept.fraudCases()).isEqualTo(source.fraudCases());
        assertThat(kept.pendingLabels()).isEqualTo(1);
        assertThat(kept.newestEventTime()).isEqualTo(source.newestEventTime());
        for (int q = 0; q < 500; q++) {
            Instant at = cutoff.plus(Duration.ofDays(30)).plusMillis((long) (rng.nextDouble() * 15 * DAY.toMillis()));
            String merchant = "m" + rng.nextInt(7);
            float[] vector = {rng.nextFloat() - 0.5f, rng.nextFloat(), rng.nextFloat() - 0.2f};
            assertThat(kept.merchant(merchant, at)).as("merchant %s at %s", merchant, at)
                    .isEqualTo(source.merchant(merchant, at));
            assertThat(kept.similar(vector, at, 5)).as("similar at %s", at).isEqualTo(source.similar(vector, at, 5));
        }
        // recent cases are kept, old unlabeled ones dropped; the late case still finds its waiting label
        assertThat(kept.knows("tx-recent")).isTrue();
        assertThat(kept.knows("tx-old")).isFalse();
        kept.recordTransaction(new Case("tx-late", "card", "m1", T.minus(Duration.ofHours(1)), 100, "EUR",
                new float[] {1, 1, 1}));
        assertThat(kept.pendingLabels()).isZero();
        assertThat(kept.fraudCases()).isEqualTo(source.fraudCases() + 1);
    }

    @Test
    void theScreenedSearchFindsExactlyTheBruteForceNeighboursAmongThousandsOfCasesWithTies() {
        HistoryContextSource big = new HistoryContextSource(12);
        Random rng = new Random(11);
        List<float[]> vectors = new ArrayList<>();
        Instant start = T.minus(Duration.ofDays(30));
        for (int i = 0; i < 4_000; i++) {
            float[] v = new float[12];
            if (i > 10 && rng.nextInt(10) == 0) { // an exact twin or a scaled copy of an earlier case: ties
                float[] earlier = vectors.get(rng.nextInt(vectors.size()));
                float scale = rng.nextBoolean() ? 1f : 0.5f;
                for (int d = 0; d < 12; d++) {
                    v[d] = earlier[d] * scale;
                }
            } else {
                for (int d = 0; d < 12; d++) {
                    v[d] = (float) Math.max(-3, Math.min(3, rng.nextGaussian() * (d < 3 ? 1.5 : 0.3)));
                }
            }
            vectors.add(v);
            Instant time = start.plusSeconds(i * 600L);
            big.recordTransaction(new Case("tx-" + i, "card", "m", time, 100, "EUR", v));
            big.recordLabel(new CaseLabel("tx-" + i, true, time.plus(Duration.ofHours(1)), LabelSource.CHARGEBACK));
        }
        for (int q = 0; q < 300; q++) {
            float[] query = q % 3 == 0 ? vectors.get(rng.nextInt(vectors.size())).clone() : new float[12];
            if (q % 3 != 0) {
                for (int d = 0; d < 12; d++) {
                    query[d] = (float) (rng.nextGaussian() * (d < 3 ? 1.5 : 0.3));
                }
            }
            Instant at = start.plusSeconds(600L * (100 + rng.nextInt(3_900)));
            // brute force: every case labeled by t with event time before t, exact cosine, ties by transaction id
            List<SimilarCase> all = new ArrayList<>();
            for (int i = 0; i < vectors.size(); i++) {
                Instant time = start.plusSeconds(i * 600L);
                if (time.isBefore(at) && !time.plus(Duration.ofHours(1)).isAfter(at)) {
                    all.add(new SimilarCase("tx-" + i, CaseSimilarity.cosine(query, vectors.get(i))));
                }
            }
            assertThat(big.similar(query, at, 10)).as("query %d", q).isEqualTo(SimilarCases.ofCandidates(all, 10));
        }
    }
}
