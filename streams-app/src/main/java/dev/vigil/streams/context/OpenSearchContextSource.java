package dev.vigil.streams.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.context.CaseSimilarity;
import dev.vigil.model.context.ContextSource;
import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCase;
import dev.vigil.model.context.SimilarCases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.DoubleAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serving's {@link ContextSource}: the {@link CaseIndex} in OpenSearch, answering by the same point-in-time
 * definitions as the trainer's {@code HistoryContextSource} (a test proves they agree on the same history).
 *
 * <h2>Merchant context: one search</h2>
 * {@code size 0}, the merchant's documents that can matter (event time in the last 30 days, or labeled fraud), and
 * filter aggregations: fraud labels with label time in (t - w, t], transactions with event time in (t - w, t) for
 * w = 1, 7, 30 days, and the max label time of fraud labels &lt;= t. Range bounds are epoch milliseconds, exact.
 *
 * <h2>Similar cases: one search, then an exact re-rank</h2>
 * Candidates are the fraud cases with label time &lt;= t, event time &lt; t and this code's vector version, searched
 * on {@code fraud_vector} (cosinesimil) for k + margin of them; each comes back with its stored vector, and the
 * similarity is recomputed here with {@link CaseSimilarity#cosine} and re-ranked (similarity desc, transaction id
 * asc). So the similarities are the very doubles the trainer computed, not OpenSearch's float scores; the margin
 * absorbs float-level near-ties at the k-th place. The score is still converted back
 * ({@link #cosineFromScore}: score = (1 + cos) / 2) and compared, as a check that the index holds the vectors it
 * should ({@link #largestScoreDeviation()}).
 * <ul>
 *   <li>{@link SimilarSearch#EXACT} (default): a {@code script_score} with the k-NN plugin's {@code knn_score} over
 *       the filtered cases: brute force, so exactly the trainer's neighbours. Cost grows with the fraud cases labeled
 *       by t (tens of thousands: a few ms).</li>
 *   <li>{@link SimilarSearch#HNSW}: a {@code knn} query with the filter (Lucene HNSW with efficient filtering; Lucene
 *       itself falls back to an exact scan when the filter leaves few cases). Approximate beyond that: a neighbour can
 *       be missed, which training does not simulate. For when the fraud cases outgrow the exact scan.</li>
 * </ul>
 *
 * <p>Every call is bounded by the {@link OpenSearchHttp} request timeout; the async forms never block. A failed
 * search inside a batch ({@link #retrieveAsync}) makes only its part {@code MISSING}; a failed request fails the
 * future with a {@link ContextRetrievalException}. Thread-safe.
 */
public final class OpenSearchContextSource implements ContextSource {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchContextSource.class);

    /** How the nearest fraud cases are searched. */
    public enum SimilarSearch { EXACT, HNSW }

    /** Extra candidates fetched beyond k, re-ranked exactly here. */
    public static final int DEFAULT_CANDIDATE_MARGIN = 5;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final double SCORE_DEVIATION_WARNING = 1e-4;

    private final OpenSearchHttp http;
    private final CaseIndex index;
    private final SimilarSearch search;
    private final int candidateMargin;
    private final DoubleAccumulator largestDeviation = new DoubleAccumulator(Math::max, 0);

    public OpenSearchContextSource(OpenSearchHttp http, CaseIndex index, SimilarSearch search, int candidateMargin) {
        if (candidateMargin < 0) {
            throw new IllegalArgumentException("candidate margin must not be negative: " + candidateMargin);
        }
        this.http = http;
        this.index = index;
        this.search = search;
        this.candidateMargin = candidateMargin;
    }

    public OpenSearchContextSource(OpenSearchHttp http, CaseIndex index) {
        this(http, index, SimilarSearch.EXACT, DEFAULT_CANDIDATE_MARGIN);
    }

    public SimilarSearch search() {
        return search;
    }

    /**
     * cos from an OpenSearch cosinesimil score: score = (1 + cos) / 2, for the Lucene engine's {@code knn} query and,
     * since 2.19, for the {@code knn_score} script too (before 2.19 the script gave 1 + cos). Checked by CaseIndexIT.
     */
    public static double cosineFromScore(double score) {
        return 2 * score - 1;
    }

    /** The largest |cos from OpenSearch's score - cos recomputed here| seen so far (float precision: about 1e-7). */
    public double largestScoreDeviation() {
        return largestDeviation.get();
    }

    // ---- ContextSource (blocking, bounded by the request timeout) ----

    @Override
    public MerchantContext merchant(String merchantId, Instant asOf) {
        return join(merchantAsync(merchantId, asOf));
    }

    @Override
    public SimilarCases similar(float[] caseVector, Instant asOf, int k) {
        return join(similarAsync(caseVector, asOf, k));
    }

    @Override
    public List<RetrievedContext> retrieve(List<ContextQuery> queries) {
        return join(retrieveAsync(queries));
    }

    // ---- asynchronous ----

    public CompletableFuture<MerchantContext> merchantAsync(String merchantId, Instant asOf) {
        long t = asOf.toEpochMilli();
        return http.send("POST", index.path("/_search?request_cache=false"), merchantQuery(merchantId, t).toString())
                .thenApply(response -> parseMerchant(response, t));
    }

    public CompletableFuture<SimilarCases> similarAsync(float[] caseVector, Instant asOf, int k) {
        checkQuery(caseVector, k);
        if (CaseSimilarity.norm(caseVector) == 0) {
            return CompletableFuture.completedFuture(SimilarCases.none(k));
        }
        return http.send("POST", index.path("/_search"), similarQuery(caseVector, asOf.toEpochMilli(), k).toString())
                .thenApply(response -> parseSimilar(response, caseVector, k));
    }

    /** Merchant context and similar cases of many payments in one {@code _msearch}; answers in query order. */
    public CompletableFuture<List<RetrievedContext>> retrieveAsync(List<ContextQuery> queries) {
        boolean[] all = new boolean[queries.size()];
        java.util.Arrays.fill(all, true);
        return retrieveAsync(queries, all, all);
    }

    /**
     * Like {@link #retrieveAsync(List)}, asking only for the parts flagged (a caller with a cache asks for what it
     * misses). A part not asked for is {@code null} in the answer; a query asking for nothing costs no search.
     */
    public CompletableFuture<List<RetrievedContext>> retrieveAsync(List<ContextQuery> queries, boolean[] merchantWanted,
                                                                   boolean[] similarWanted) {
        if (merchantWanted.length != queries.size() || similarWanted.length != queries.size()) {
            throw new IllegalArgumentException("one merchant and one similar flag per query");
        }
        StringBuilder body = new StringBuilder(queries.size() * 1200);
        String header = OpenSearchHttp.json().createObjectNode().put("index", index.name()).toString();
        // aggregations at a new instant every time: caching them would only churn the shard request cache
        String merchantHeader = OpenSearchHttp.json().createObjectNode().put("index", index.name())
                .put("request_cache", false).toString();
        int searches = 0;
        for (int i = 0; i < queries.size(); i++) {
            ContextQuery q = queries.get(i);
            checkQuery(q.caseVector(), q.k());
            long t = q.asOf().toEpochMilli();
            if (merchantWanted[i]) {
                body.append(merchantHeader).append('\n').append(merchantQuery(q.merchantId(), t)).append('\n');
                searches++;
            }
            if (similarWanted[i] && CaseSimilarity.norm(q.caseVector()) != 0) {
                body.append(header).append('\n').append(similarQuery(q.caseVector(), t, q.k())).append('\n');
                searches++;
            }
        }
        if (searches == 0) {
            return CompletableFuture.completedFuture(answers(queries, merchantWanted, similarWanted, null));
        }
        int expected = searches;
        return http.sendNdjson("POST", "_msearch", body.toString()).thenApply(response -> {
            JsonNode responses = response.path("responses");
            if (responses.size() != expected) {
                throw new ContextRetrievalException(ContextRetrievalException.Reason.BAD_RESPONSE,
                        "_msearch answered " + responses.size() + " searches for " + expected);
            }
            return answers(queries, merchantWanted, similarWanted, responses);
        });
    }

    private List<RetrievedContext> answers(List<ContextQuery> queries, boolean[] merchantWanted,
                                           boolean[] similarWanted, JsonNode responses) {
        List<RetrievedContext> answers = new ArrayList<>(queries.size());
        int next = 0;
        for (int i = 0; i < queries.size(); i++) {
            ContextQuery q = queries.get(i);
            MerchantContext merchant = null;
            if (merchantWanted[i]) {
                JsonNode m = responses.get(next++);
                merchant = m.has("error") ? logMissing("merchant context", m) : parseMerchant(m, q.asOf().toEpochMilli());
            }
            SimilarCases similar = null;
            if (similarWanted[i]) {
                if (CaseSimilarity.norm(q.caseVector()) == 0) {
                    similar = SimilarCases.none(q.k());
                } else {
                    JsonNode s = responses.get(next++);
                    if (s.has("error")) {
                        logMissing("similar cases", s);
                        similar = SimilarCases.missing(q.k());
                    } else {
                        similar = parseSimilar(s, q.caseVector(), q.k());
                    }
                }
            }
            answers.add(new RetrievedContext(merchant, similar));
        }
        return answers;
    }

    // ---- queries ----

    ObjectNode merchantQuery(String merchantId, long t) {
        ObjectNode q = OpenSearchHttp.json().createObjectNode();
        q.put("size", 0);
        q.put("track_total_hits", false);
        ArrayNode filter = q.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("merchant_id", merchantId);
        ArrayNode relevant = filter.addObject().putObject("bool").put("minimum_should_match", 1).putArray("should");
        relevant.add(range("event_time", t - 30 * DAY_MILLIS, null, null, t));
        relevant.addObject().putObject("term").put("label", CaseIndex.FRAUD);
        ObjectNode aggs = q.putObject("aggs");
        for (int w : MerchantContext.WINDOW_DAYS) {
            long from = t - w * DAY_MILLIS;
            aggs.putObject("fraud_" + w).set("filter", fraudLabeled(from, t));
            aggs.putObject("transactions_" + w).set("filter", range("event_time", from, null, null, t));
        }
        ObjectNode last = aggs.putObject("last_fraud");
        last.set("filter", fraudLabeled(null, t));
        last.putObject("aggs").putObject("label_time").putObject("max").put("field", "label_time");
        return q;
    }

    ObjectNode similarQuery(float[] vector, long t, int k) {
        int candidates = k + candidateMargin;
        ObjectNode q = OpenSearchHttp.json().createObjectNode();
        q.put("size", candidates);
        q.put("track_total_hits", false);
        q.putArray("_source").add("case_vector");
        ObjectNode filter = OpenSearchHttp.json().createObjectNode();
        ArrayNode clauses = filter.putObject("bool").putArray("filter");
        clauses.addObject().putObject("term").put("label", CaseIndex.FRAUD);
        clauses.add(range("label_time", null, null, t, null));
        clauses.add(range("event_time", null, null, null, t));
        clauses.addObject().putObject("term").put("vector_version", index.vectorVersion());
        if (search == SimilarSearch.HNSW) {
            ObjectNode knn = q.putObject("query").putObject("knn").putObject("fraud_vector");
            knn.set("vector", CaseIndex.vectorJson(vector));
            knn.put("k", candidates);
            knn.set("filter", filter);
            knn.putObject("method_parameters").put("ef_search", Math.max(100, candidates));
        } else {
            clauses.addObject().putObject("exists").put("field", "fraud_vector");
            ObjectNode scriptScore = q.putObject("query").putObject("script_score");
            scriptScore.set("query", filter);
            ObjectNode script = scriptScore.putObject("script");
            script.put("source", "knn_score").put("lang", "knn");
            ObjectNode params = script.putObject("params");
            params.put("field", "fraud_vector");
            params.set("query_value", CaseIndex.vectorJson(vector));
            params.put("space_type", "cosinesimil");
        }
        return q;
    }

    private static ObjectNode emptySearch() {
        ObjectNode q = OpenSearchHttp.json().createObjectNode();
        q.put("size", 0);
        q.put("track_total_hits", false);
        q.putObject("query").putObject("match_none");
        return q;
    }

    private static ObjectNode fraudLabeled(Long fromExclusive, long toInclusive) {
        ObjectNode bool = OpenSearchHttp.json().createObjectNode();
        ArrayNode clauses = bool.putObject("bool").putArray("filter");
        clauses.addObject().putObject("term").put("label", CaseIndex.FRAUD);
        clauses.add(range("label_time", fromExclusive, null, toInclusive, null));
        return bool;
    }

    /** A range on an epoch-millisecond date field; null bounds are left out. */
    private static ObjectNode range(String field, Long gt, Long gte, Long lte, Long lt) {
        ObjectNode node = OpenSearchHttp.json().createObjectNode();
        ObjectNode r = node.putObject("range").putObject(field);
        if (gt != null) {
            r.put("gt", gt);
        }
        if (gte != null) {
            r.put("gte", gte);
        }
        if (lte != null) {
            r.put("lte", lte);
        }
        if (lt != null) {
            r.put("lt", lt);
        }
        r.put("format", "epoch_millis");
        return node;
    }

    // ---- answers ----

    private static MerchantContext parseMerchant(JsonNode response, long t) {
        JsonNode aggs = response.path("aggregations");
        if (aggs.isMissingNode()) {
            throw new ContextRetrievalException(ContextRetrievalException.Reason.BAD_RESPONSE,
                    "merchant search answered without aggregations: " + response);
        }
        long[] fraud = new long[3];
        long[] transactions = new long[3];
        for (int i = 0; i < 3; i++) {
            int w = MerchantContext.WINDOW_DAYS[i];
            fraud[i] = count(aggs, "fraud_" + w);
            transactions[i] = count(aggs, "transactions_" + w);
        }
        JsonNode max = aggs.path("last_fraud").path("label_time").path("value");
        long last = max.isNumber() ? (long) max.asDouble() : Long.MIN_VALUE;
        return new MerchantContext(fraud[0], fraud[1], fraud[2], transactions[0], transactions[1], transactions[2],
                MerchantContext.daysSince(last, t), false);
    }

    private static long count(JsonNode aggs, String name) {
        JsonNode count = aggs.path(name).path("doc_count");
        if (!count.isNumber()) {
            throw new ContextRetrievalException(ContextRetrievalException.Reason.BAD_RESPONSE,
                    "merchant search answered without " + name);
        }
        return count.asLong();
    }

    private SimilarCases parseSimilar(JsonNode response, float[] query, int k) {
        List<SimilarCase> candidates = new ArrayList<>();
        for (JsonNode hit : response.path("hits").path("hits")) {
            JsonNode stored = hit.path("_source").path("case_vector");
            if (stored.size() != query.length) {
                throw new ContextRetrievalException(ContextRetrievalException.Reason.BAD_RESPONSE,
                        "case " + hit.path("_id").asText() + " has a vector of " + stored.size() + " values, expected "
                                + query.length);
            }
            float[] vector = new float[stored.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) stored.get(i).asDouble(); // written as the float's exact double: no rounding here
            }
            double similarity = CaseSimilarity.cosine(query, vector);
            double score = hit.path("_score").asDouble();
            double fromScore = cosineFromScore(score);
            double deviation = Math.abs(fromScore - similarity);
            largestDeviation.accumulate(deviation);
            if (deviation > SCORE_DEVIATION_WARNING) {
                LOG.warn("case {}: OpenSearch's score says cos {} but its stored vector gives {}: the indexed vector "
                        + "differs from the stored one", hit.path("_id").asText(), fromScore, similarity);
            }
            candidates.add(new SimilarCase(hit.path("_id").asText(), similarity));
        }
        return SimilarCases.ofCandidates(candidates, k);
    }

    private static MerchantContext logMissing(String what, JsonNode error) {
        LOG.warn("{} search failed inside _msearch: {}", what, error.path("error"));
        return MerchantContext.MISSING;
    }

    private void checkQuery(float[] caseVector, int k) {
        if (caseVector.length != index.dimension()) {
            throw new IllegalArgumentException("query vector of dimension " + caseVector.length + ", the index has "
                    + index.dimension());
        }
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
