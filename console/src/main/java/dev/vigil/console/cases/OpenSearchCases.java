package dev.vigil.console.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.streams.context.CaseIndex;
import dev.vigil.streams.context.OpenSearchHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code cases} index (its documents are described in streams-app's {@link CaseIndex}) searched over
 * {@link OpenSearchHttp} with raw JSON: a document by id, a terms aggregation for the merchant's labeled history, an
 * exact k-NN ({@code knn_score} over {@code fraud_vector}, filtered to fraud) from the case's own {@code case_vector},
 * and a filtered search (terms, a time range, and free text over {@code reasons} as a {@code simple_query_string}). Every call waits at most the client's request timeout. Thread-safe.
 */
public final class OpenSearchCases implements CaseStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchHttp http;
    private final String index;

    public OpenSearchCases(OpenSearchHttp http, String index) {
        this.http = http;
        this.index = URLEncoder.encode(index, StandardCharsets.UTF_8);
    }

    @Override
    public Optional<IndexedCase> find(String transactionId) {
        return document(transactionId).map(source -> indexedCase(transactionId, source, Double.NaN));
    }

    private Optional<JsonNode> document(String transactionId) {
        ObjectNode q = JSON.createObjectNode();
        q.put("size", 1);
        q.putObject("query").putObject("ids").putArray("values").add(transactionId);
        JsonNode hits = await(http.send("POST", index + "/_search", q.toString())).path("hits").path("hits");
        return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0).path("_source"));
    }

    @Override
    public MerchantHistory merchantHistory(String merchantId) {
        ObjectNode q = JSON.createObjectNode();
        q.put("size", 0);
        q.putObject("query").putObject("term").put("merchant_id", merchantId);
        q.putObject("aggs").putObject("labels").putObject("terms").put("field", "label").put("size", 5);
        long frauds = 0;
        long genuine = 0;
        for (JsonNode bucket : await(http.send("POST", index + "/_search", q.toString()))
                .path("aggregations").path("labels").path("buckets")) {
            String key = bucket.path("key").asText();
            if (CaseIndex.FRAUD.equals(key)) {
                frauds = bucket.path("doc_count").asLong();
            } else if (CaseIndex.GENUINE.equals(key)) {
                genuine = bucket.path("doc_count").asLong();
            }
        }
        return new MerchantHistory(merchantId, frauds, genuine);
    }

    @Override
    public List<IndexedCase> similarFrauds(String transactionId, int k) {
        Optional<JsonNode> doc = document(transactionId);
        JsonNode vector = doc.map(d -> d.path("case_vector")).orElse(null);
        if (vector == null || !vector.isArray() || vector.isEmpty()) {
            return List.of();
        }
        ObjectNode q = JSON.createObjectNode();
        q.put("size", k);
        ObjectNode scriptScore = q.putObject("query").putObject("script_score");
        ObjectNode bool = scriptScore.putObject("query").putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        filter.addObject().putObject("term").put("label", CaseIndex.FRAUD);
        filter.addObject().putObject("exists").put("field", "fraud_vector");
        String version = doc.get().path("vector_version").asText(null);
        if (version != null) {
            filter.addObject().putObject("term").put("vector_version", version);
        }
        bool.putArray("must_not").addObject().putObject("ids").putArray("values").add(transactionId);
        ObjectNode script = scriptScore.putObject("script");
        script.put("source", "knn_score").put("lang", "knn");
        ObjectNode params = script.putObject("params");
        params.put("field", "fraud_vector");
        params.set("query_value", vector);
        params.put("space_type", "cosinesimil");
        List<IndexedCase> out = new ArrayList<>();
        for (JsonNode hit : await(http.send("POST", index + "/_search", q.toString())).path("hits").path("hits")) {
            out.add(indexedCase(hit.path("_id").asText(), hit.path("_source"), hit.path("_score").asDouble()));
        }
        return out;
    }

    @Override
    public List<IndexedCase> search(SearchFilter f) {
        ObjectNode q = JSON.createObjectNode();
        q.put("size", f.limit());
        q.putArray("sort").addObject().put("event_time", "desc");
        q.putArray("_source").add("transaction_id").add("card_id").add("merchant_id").add("event_time")
                .add("amount_minor").add("currency").add("label").add("reasons");
        ObjectNode bool = q.putObject("query").putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        filter.addObject().putObject("exists").put("field", "event_time"); // not a label waiting for its case
        if (f.cardId() != null) {
            filter.addObject().putObject("term").put("card_id", f.cardId());
        }
        if (f.merchantId() != null) {
            filter.addObject().putObject("term").put("merchant_id", f.merchantId());
        }
        if (f.from() != null || f.to() != null) {
            ObjectNode range = filter.addObject().putObject("range").putObject("event_time");
            if (f.from() != null) {
                range.put("gte", f.from().toEpochMilli());
            }
            if (f.to() != null) {
                range.put("lte", f.to().toEpochMilli());
            }
        }
        if (f.text() != null) {
            // simple_query_string never fails on what a person types: no syntax error, only the operators it knows
            bool.putArray("must").addObject().putObject("simple_query_string").put("query", f.text())
                    .put("default_operator", "and")
                    .putArray("fields").add("reasons");
        }
        if ("unlabeled".equals(f.label())) {
            bool.putArray("must_not").addObject().putObject("exists").put("field", "label");
        } else if (f.label() != null) {
            filter.addObject().putObject("term").put("label", f.label());
        }
        List<IndexedCase> out = new ArrayList<>();
        for (JsonNode hit : await(http.send("POST", index + "/_search", q.toString())).path("hits").path("hits")) {
            out.add(indexedCase(hit.path("_id").asText(), hit.path("_source"), Double.NaN));
        }
        return out;
    }

    private static IndexedCase indexedCase(String id, JsonNode s, double score) {
        JsonNode time = s.path("event_time");
        List<String> reasons = new ArrayList<>();
        s.path("reasons").forEach(r -> reasons.add(r.asText()));
        return new IndexedCase(s.path("transaction_id").asText(id), s.path("card_id").asText(""),
                s.path("merchant_id").asText(""), time.isMissingNode() || time.isNull() ? null
                : Instant.ofEpochMilli(time.asLong()), s.path("amount_minor").asLong(), s.path("currency").asText(""),
                s.path("label").isTextual() ? s.path("label").asText() : null, score, reasons);
    }

    /** The answer's body; a missing node (every path empty) when the index does not exist yet. */
    private JsonNode await(CompletableFuture<JsonNode> answer) {
        Duration limit = http.requestTimeout().plusSeconds(1);
        try {
            return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaseStoreException("interrupted while asking " + http, e);
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            if (message.contains("index_not_found_exception")) {
                // no case indexed yet (the case indexer creates the index with its first case): nothing found
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            throw new CaseStoreException(message, e.getCause());
        } catch (TimeoutException e) {
            throw new CaseStoreException(http + ": no answer within " + limit.toMillis() + " ms", e);
        }
    }
}
