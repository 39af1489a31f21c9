package dev.vigil.streams.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.ContextSource.ContextQuery;
import dev.vigil.model.context.ContextSource.RetrievedContext;
import dev.vigil.model.context.HistoryContextSource;
import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCases;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer's context source and the OpenSearch one, loaded with the same history, answer every (payment, instant)
 * query the same: merchant context equal, similar cases equal (same neighbours, same order, same similarity).
 */
class ContextSourceEqualityIT {

    static final FeatureSpec SPEC = FeatureSpec.standard();
    static final int K = SPEC.similarK();

    static OpenSearchHttp http;
    static CaseIndex index;
    static LabeledHistory history;
    static HistoryContextSource trainer;
    static List<ContextQuery> queries;

    @BeforeAll
    static void loadTheSameHistoryIntoBoth() {
        LocalStack stack = LocalStack.sharedForTests(Service.OPENSEARCH);
        http = new OpenSearchHttp(stack.openSearchUrl());
        index = new CaseIndex(http, "it-cases-" + UUID.randomUUID(), SPEC);
        assertThat(index.createIfAbsent(CaseIndex.Settings.singleNode()).join()).isTrue();
        history = new LabeledHistory(Long.getLong("vigil.it.seed", 42), 400, 40, 6, 20); // -Dvigil.it.seed=N: another history

        trainer = new HistoryContextSource(SPEC.caseVectorDimension());
        history.cases.forEach(trainer::recordTransaction);
        history.labels.forEach(trainer::recordLabel);

        // OpenSearch gets them in another order: some labels before their cases, the rest after, in two bulks each
        int half = history.labels.size() / 2;
        assertThat(index.applyLabels(history.labels.subList(0, half)).join().failures()).isEmpty();
        assertThat(index.upsert(history.cases.subList(0, 200)).join().failures()).isEmpty();
        assertThat(index.upsert(history.cases.subList(200, history.cases.size())).join().failures()).isEmpty();
        assertThat(index.applyLabels(history.labels.subList(half, history.labels.size())).join().failures()).isEmpty();
        index.refresh().join();

        queries = new ArrayList<>();
        Random rng = new Random(Long.getLong("vigil.it.seed", 42) + 7);
        for (Case c : history.cases) {
            Instant t = c.eventTime();
            queries.add(new ContextQuery(c.merchantId(), c.vector(), t, K));
            if (rng.nextInt(4) == 0) { // on window boundaries of an earlier payment
                queries.add(new ContextQuery(c.merchantId(), c.vector(), t.plus(Duration.ofDays(1)), K));
                queries.add(new ContextQuery(c.merchantId(), c.vector(), t.plus(Duration.ofDays(7)), K));
            }
        }
        for (CaseLabel l : history.labels) { // at a label's time, and one millisecond before it
            Case c = history.cases.get(rng.nextInt(history.cases.size()));
            queries.add(new ContextQuery(c.merchantId(), c.vector(), l.labelTime(), K));
            queries.add(new ContextQuery(c.merchantId(), c.vector(), l.labelTime().minusMillis(1), K));
        }
        queries.add(new ContextQuery("merchant-nobody", history.cases.get(0).vector(), LabeledHistory.START, K));
        queries.add(new ContextQuery("merchant-1", new float[SPEC.caseVectorDimension()],
                LabeledHistory.START.plus(Duration.ofDays(25)), K));
    }

    @AfterAll
    static void dropTheIndex() {
        if (index != null) {
            index.delete().join();
        }
    }

    @Test
    void theIndexHoldsEveryCaseAndTheHistoryIsNotTrivial() {
        assertThat(index.count().join()).isEqualTo(history.cases.size());
        assertThat(trainer.fraudCases()).isGreaterThan(60);
        long withFraud = queries.stream().filter(q -> trainer.merchant(q.merchantId(), q.asOf()).fraud7d() > 0).count();
        long withNeighbours = queries.stream().filter(q -> trainer.similar(q.caseVector(), q.asOf(), K).found() == K).count();
        assertThat(withFraud).isGreaterThan(queries.size() / 2);
        assertThat(withNeighbours).isGreaterThan(queries.size() / 2);
        System.out.printf("%d cases, %d labels, %d fraud cases now, %d queries%n", history.cases.size(),
                history.labels.size(), trainer.fraudCases(), queries.size());
    }

    @Test
    void merchantContextIsTheSameAsTheTrainers() {
        OpenSearchContextSource openSearch = new OpenSearchContextSource(http, index);
        for (ContextQuery q : queries) {
            MerchantContext expected = trainer.merchant(q.merchantId(), q.asOf());
            assertThat(openSearch.merchant(q.merchantId(), q.asOf())).as("%s at %s", q.merchantId(), q.asOf())
                    .isEqualTo(expected);
        }
    }

    @Test
    void exactSimilarCasesAreTheSameAsTheTrainers() {
        assertSameSimilarCases(new OpenSearchContextSource(http, index, OpenSearchContextSource.SimilarSearch.EXACT,
                OpenSearchContextSource.DEFAULT_CANDIDATE_MARGIN));
    }

    @Test
    void hnswSimilarCasesAreTheSameAsTheTrainersOnAHistoryThisSize() {
        assertSameSimilarCases(new OpenSearchContextSource(http, index, OpenSearchContextSource.SimilarSearch.HNSW,
                OpenSearchContextSource.DEFAULT_CANDIDATE_MARGIN));
    }

    @Test
    void oneMsearchForManyPaymentsAnswersAsTheSingleQueriesDo() {
        OpenSearchContextSource openSearch = new OpenSearchContextSource(http, index);
        for (int from = 0; from < queries.size(); from += 64) {
            List<ContextQuery> batch = queries.subList(from, Math.min(queries.size(), from + 64));
            List<RetrievedContext> answers = openSearch.retrieve(batch);
            assertThat(answers).hasSize(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                ContextQuery q = batch.get(i);
                assertThat(answers.get(i)).isEqualTo(new RetrievedContext(trainer.merchant(q.merchantId(), q.asOf()),
                        trainer.similar(q.caseVector(), q.asOf(), q.k())));
            }
        }
    }

    @Test
    void theFraudCaseMirrorAnswersSimilarCasesAsTheTrainerAndOpenSearchDo() {
        try (FraudCaseMirror mirror = FraudCaseMirror.start(http, index, Duration.ofHours(1), Duration.ofSeconds(30))) {
            assertThat(mirror.loads()).isEqualTo(1);
            assertThat(mirror.size()).isEqualTo(trainer.fraudCases()).isPositive();
            OpenSearchContextSource openSearch = new OpenSearchContextSource(http, index);
            for (ContextQuery q : queries) {
                SimilarCases expected = trainer.similar(q.caseVector(), q.asOf(), K);
                assertThat(mirror.similar(q.caseVector(), q.asOf(), K)).as("mirror at %s", q.asOf()).isEqualTo(expected);
            }
            ContextQuery q = queries.get(queries.size() / 2);
            assertThat(openSearch.similar(q.caseVector(), q.asOf(), K))
                    .isEqualTo(mirror.similar(q.caseVector(), q.asOf(), K));
        }
    }

    private static void assertSameSimilarCases(OpenSearchContextSource openSearch) {
        for (ContextQuery q : queries) {
            SimilarCases expected = trainer.similar(q.caseVector(), q.asOf(), K);
            SimilarCases actual = openSearch.similar(q.caseVector(), q.asOf(), K);
            // the similarities are recomputed from the stored vectors, so they are equal, not just close
            assertThat(actual).as("similar cases at %s", q.asOf()).isEqualTo(expected);
        }
        // and OpenSearch's own scores, converted back to cosines, agree with them to float precision
        assertThat(openSearch.largestScoreDeviation()).isPositive().isLessThan(1e-5);
        System.out.printf("%s: largest |cos from score - cos| = %.2e%n", openSearch.search(),
                openSearch.largestScoreDeviation());
    }
}
