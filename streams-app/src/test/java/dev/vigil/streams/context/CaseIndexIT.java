package dev.vigil.streams.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.SimilarCases;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CaseIndexIT {

    static final FeatureSpec SPEC = FeatureSpec.standard();
    static final Instant T = Instant.parse("2026-03-20T12:00:00Z");

    OpenSearchHttp http;
    CaseIndex index;
    OpenSearchContextSource source;

    @BeforeEach
    void createAFreshIndex() {
        http = new OpenSearchHttp(LocalStack.sharedForTests(Service.OPENSEARCH).openSearchUrl());
        index = new CaseIndex(http, "it-cases-" + UUID.randomUUID(), SPEC);
        assertThat(index.createIfAbsent(CaseIndex.Settings.singleNode()).join()).isTrue();
        source = new OpenSearchContextSource(http, index);
    }

    @AfterEach
    void dropIt() {
        index.delete().join();
    }

    @Test
    void createsTheIndexOnceWithALuceneCosineKnnField() {
        assertThat(index.createIfAbsent(CaseIndex.Settings.singleNode()).join()).isFalse();
        JsonNode field = http.send("GET", index.name() + "/_mapping", null).join()
                .path(index.name()).path("mappings").path("properties").path("fraud_vector");
        assertThat(field.path("type").asText()).isEqualTo("knn_vector");
        assertThat(field.path("dimension").asInt()).isEqualTo(SPEC.caseVectorDimension());
        assertThat(field.path("method").path("engine").asText()).isEqualTo("lucene");
        assertThat(field.path("method").path("space_type").asText()).isEqualTo("cosinesimil");
    }

    @Test
    void reasonsAreSearchableByAnyOfTheirWordsAndAnIndexMadeBeforeThemGetsTheField() {
        // an index created by an earlier writer, whose strict mapping has no reasons field
        CaseIndex older = new CaseIndex(http, "it-cases-old-" + UUID.randomUUID(), SPEC);
        String oldBody = older.createBody(CaseIndex.Settings.singleNode())
                .replaceAll(",\\s*\"reasons\": " + java.util.regex.Pattern.quote(CaseIndex.REASONS_MAPPING), "");
        assertThat(oldBody).doesNotContain("reasons");
        http.send("PUT", older.name(), oldBody).join();
        try {
            assertThat(older.createIfAbsent(CaseIndex.Settings.singleNode()).join()).isFalse();
            for (CaseIndex i : List.of(index, older)) {
                CaseIndex.BulkResult written = i.upsert(List.of(aCase("r1", "m", T, 0.2f), aCase("r2", "m", T, 0.3f)),
                        java.util.Map.of("r1", List.of("similar_fraud_cases", "card_velocity"),
                                "r2", List.of("amount"))).join();
                assertThat(written.failures()).as(i.name()).isEmpty();
                i.refresh().join();
                assertThat(idsMatching(i, "velocity")).as(i.name()).containsExactly("r1");
                assertThat(idsMatching(i, "similar fraud")).as(i.name()).containsExactly("r1");
                assertThat(idsMatching(i, "amount")).as(i.name()).containsExactly("r2");
                assertThat(idsMatching(i, "device")).as(i.name()).isEmpty();
                // a case sent again without reasons keeps them
                i.upsert(List.of(aCase("r2", "m", T, 0.3f))).join();
                i.refresh().join();
                assertThat(idsMatching(i, "amount")).as(i.name()).containsExactly("r2");
            }
        } finally {
            older.delete().join();
        }
    }

    private List<String> idsMatching(CaseIndex i, String text) {
        String q = "{\"query\": {\"simple_query_string\": {\"query\": \"" + text
                + "\", \"fields\": [\"reasons\"], \"default_operator\": \"and\"}}}";
        List<String> ids = new java.util.ArrayList<>();
        http.send("POST", i.name() + "/_search", q).join().path("hits").path("hits")
                .forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    @Test
    void upsertingTheSameCasesAgainChangesNothingAndVectorsReadBackExactly() {
        List<Case> cases = List.of(aCase("a", "m", T.minus(Duration.ofHours(1)), 0.1f),
                aCase("b", "m", T.minus(Duration.ofHours(2)), 1e-7f));
        assertThat(index.upsert(cases).join()).isEqualTo(new CaseIndex.BulkResult(2, 0, List.of()));
        index.refresh().join();
        JsonNode before = document("a");
        assertThat(index.upsert(cases).join().ok()).isTrue();
        index.refresh().join();
        assertThat(index.count().join()).isEqualTo(2);
        assertThat(document("a")).isEqualTo(before);
        JsonNode stored = document("b").path("case_vector");
        float[] read = new float[stored.size()];
        for (int i = 0; i < read.length; i++) {
            read[i] = (float) stored.get(i).asDouble();
        }
        assertThat(read).containsExactly(cases.get(1).vector());
    }

    @Test
    void aLabelArrivingBeforeItsCaseIsKeptAndTheCaseBecomesSearchableWhenItArrives() {
        Case c = aCase("early", "m", T.minus(Duration.ofDays(2)), 0.5f);
        index.applyLabels(List.of(new CaseLabel("early", true, T.minus(Duration.ofDays(1)), LabelSource.CHARGEBACK))).join();
        index.refresh().join();
        assertThat(document("early").has("merchant_id")).isFalse();
        assertThat(source.merchant("m", T).fraud7d()).isZero(); // a label with no case: no merchant to count it for
        index.upsert(List.of(c)).join();
        index.refresh().join();
        assertThat(document("early").path("label").asText()).isEqualTo("fraud");
        assertThat(source.merchant("m", T).fraud7d()).isEqualTo(1);
        assertThat(source.similar(c.vector(), T, SPEC.similarK()).neighbours()).hasSize(1);
    }

    @Test
    void theLatestLabelWinsWhateverOrderTheLabelsArriveIn() {
        Case c = aCase("x", "m", T.minus(Duration.ofDays(9)), 0.3f);
        index.upsert(List.of(c)).join();
        CaseLabel fraud = new CaseLabel("x", true, T.minus(Duration.ofDays(2)), LabelSource.CHARGEBACK);
        CaseLabel genuineLater = new CaseLabel("x", false, T.minus(Duration.ofDays(1)), LabelSource.ANALYST);
        CaseLabel genuineEarlier = new CaseLabel("x", false, T.minus(Duration.ofDays(3)), LabelSource.ANALYST);
        assertThat(index.applyLabels(List.of(fraud)).join().written()).isEqualTo(1);
        assertThat(index.applyLabels(List.of(genuineEarlier)).join().unchanged()).isEqualTo(1);
        index.refresh().join();
        assertThat(document("x").path("label").asText()).isEqualTo("fraud");
        assertThat(source.similar(c.vector(), T, SPEC.similarK()).found()).isEqualTo(1);

        index.applyLabels(List.of(genuineLater)).join();
        index.refresh().join();
        assertThat(document("x").path("label").asText()).isEqualTo("genuine");
        assertThat(document("x").has("fraud_vector")).isFalse();
        assertThat(source.similar(c.vector(), T, SPEC.similarK())).isEqualTo(SimilarCases.none(SPEC.similarK()));
        assertThat(source.merchant("m", T).fraud30d()).isZero();
    }

    @Test
    void aChargebackConfirmingACardholdersReportKeepsTheReportsTimeInEitherOrder() {
        CaseLabel report = new CaseLabel("r1", true, T.minus(Duration.ofDays(5)), LabelSource.CARDHOLDER);
        CaseLabel chargeback = new CaseLabel("r1", true, T.minus(Duration.ofDays(1)), LabelSource.CHARGEBACK);
        index.upsert(List.of(aCase("r1", "m", T.minus(Duration.ofDays(9)), 0.3f))).join();
        index.applyLabels(List.of(report)).join();
        assertThat(index.applyLabels(List.of(chargeback)).join().unchanged()).isEqualTo(1);
        index.refresh().join();
        assertThat(document("r1").path("label_time").asLong()).isEqualTo(report.labelTime().toEpochMilli());
        assertThat(document("r1").path("label_source").asText()).isEqualTo("CARDHOLDER");

        CaseLabel report2 = new CaseLabel("r2", true, T.minus(Duration.ofDays(5)), LabelSource.CARDHOLDER);
        CaseLabel chargeback2 = new CaseLabel("r2", true, T.minus(Duration.ofDays(1)), LabelSource.CHARGEBACK);
        index.upsert(List.of(aCase("r2", "m", T.minus(Duration.ofDays(9)), 0.3f))).join();
        index.applyLabels(List.of(chargeback2)).join();
        assertThat(index.applyLabels(List.of(report2)).join().written()).isEqualTo(1);
        index.refresh().join();
        assertThat(document("r2").path("label_time").asLong()).isEqualTo(report2.labelTime().toEpochMilli());
        assertThat(document("r2").path("label").asText()).isEqualTo("fraud");
        assertThat(document("r2").has("fraud_vector")).isTrue();
    }

    @Test
    void bothSearchesScoreCosineSimilarityAsOnePlusCosOverTwo() {
        String probe = "it-probe-" + UUID.randomUUID();
        http.send("PUT", probe, """
                {"settings": {"index": {"knn": true, "number_of_shards": 1, "number_of_replicas": 0}},
                 "mappings": {"properties": {"v": {"type": "knn_vector", "dimension": 2,
                   "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"}}}}}""").join();
        try {
            http.sendNdjson("POST", probe + "/_bulk?refresh=true", """
                    {"index": {"_id": "same"}}
                    {"v": [2.0, 0.0]}
                    {"index": {"_id": "diagonal"}}
                    {"v": [1.0, 1.0]}
                    {"index": {"_id": "opposite"}}
                    {"v": [-1.0, 0.0]}
                    """).join();
            JsonNode knn = http.send("POST", probe + "/_search", """
                    {"query": {"knn": {"v": {"vector": [1.0, 0.0], "k": 3}}}}""").join();
            JsonNode script = http.send("POST", probe + "/_search", """
                    {"query": {"script_score": {"query": {"match_all": {}}, "script": {"source": "knn_score",
                      "lang": "knn", "params": {"field": "v", "query_value": [1.0, 0.0], "space_type": "cosinesimil"}}}}}""").join();
            for (JsonNode answer : List.of(knn, script)) {
                JsonNode hits = answer.path("hits").path("hits");
                assertThat(OpenSearchContextSource.cosineFromScore(hits.get(0).path("_score").asDouble())).isEqualTo(1.0);
                assertThat(OpenSearchContextSource.cosineFromScore(hits.get(1).path("_score").asDouble()))
                        .isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-6));
                assertThat(OpenSearchContextSource.cosineFromScore(hits.get(2).path("_score").asDouble())).isEqualTo(-1.0);
            }
        } finally {
            http.send("DELETE", probe, null).join();
        }
    }

    private JsonNode document(String id) {
        return http.send("GET", index.name() + "/_doc/" + id, null).join().path("_source");
    }

    private static Case aCase(String id, String merchant, Instant time, float seed) {
        float[] v = new float[SPEC.caseVectorDimension()];
        for (int i = 0; i < v.length; i++) {
            v[i] = seed * (i + 1) - 0.37f * (i % 3);
        }
        return new Case(id, "card", merchant, time, 1234, "EUR", v);
    }
}
