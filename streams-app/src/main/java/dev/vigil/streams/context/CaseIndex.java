package dev.vigil.streams.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.CaseSimilarity;
import dev.vigil.model.features.FeatureSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code cases} index: one document per scored transaction (document id = transaction id), with its label once
 * one is known. It is what {@link OpenSearchContextSource} searches.
 *
 * <h2>Documents</h2>
 * {@code transaction_id, card_id, merchant_id, event_time (epoch ms), amount_minor, currency, vector_version,
 * case_vector} (every case whose vector is not all zeros, kept in {@code _source} only: not searchable; a zero vector
 * has no direction, is never a neighbour, and Lucene's cosine rejects it), {@code reasons} (the attribution groups that
 * raised the score, for the analysts' free-text search; only alerts and reviews are explained), {@code label} ({@code fraud} or
 * {@code genuine}), {@code label_time}, {@code label_source}, and {@code fraud_vector}: the {@code knn_vector} field
 * (Lucene HNSW, cosinesimil), a copy of {@code case_vector} present only while the case is labeled fraud.
 *
 * <p>Why two vector fields: the similar-case search only ever looks at fraud cases, a few percent of all, and a
 * {@code knn_vector} costs most of the indexing time (HNSW insertion). Indexing the vector only when a fraud label
 * arrives keeps bulk indexing of every scored transaction at plain-document speed and keeps the graph small.
 *
 * <h2>Writes are idempotent and order-free</h2>
 * <ul>
 *   <li>{@link #upsert}: a scripted upsert that sets the case's fields and leaves its label alone; sending a case
 *       again changes nothing. If the case is already labeled fraud (its label came first), it gets its
 *       {@code fraud_vector} now.</li>
 *   <li>{@link #applyLabels}: a scripted upsert that replaces the label only if the new label is of the other value
 *       and its time at or after the current one (the latest label wins), or of the same value and earlier (a
 *       chargeback confirming a cardholder's report keeps the report's time), exactly as in the trainer's
 *       {@code HistoryContextSource}, and sets or
 *       removes {@code fraud_vector}. A label for a case not indexed yet creates a document holding only the label;
 *       the case fills it in later.</li>
 * </ul>
 * Neither call waits for a refresh: a case is searchable after the index's refresh interval (1 s by default), or
 * after {@link #refresh()}.
 */
public final class CaseIndex {

    public static final String DEFAULT_NAME = "cases";
    public static final String FRAUD = "fraud";
    public static final String GENUINE = "genuine";

    private static final String UPSERT_CASE = """
            for (def e : params.doc.entrySet()) { ctx._source[e.getKey()] = e.getValue(); }
            if (ctx._source.label == 'fraud' && ctx._source.case_vector != null) {
              ctx._source.fraud_vector = ctx._source.case_vector;
            }""";
    private static final String APPLY_LABEL = """
            if (ctx._source.label_time != null && (ctx._source.label == params.label
                ? params.label_time >= ctx._source.label_time : params.label_time < ctx._source.label_time)) {
              ctx.op = 'noop';
            } else {
              ctx._source.label = params.label;
              ctx._source.label_time = params.label_time;
              ctx._source.label_source = params.label_source;
              if (params.label == 'fraud' && ctx._source.case_vector != null) {
                ctx._source.fraud_vector = ctx._source.case_vector;
              } else {
                ctx._source.remove('fraud_vector');
              }
            }""";

    /**
     * The {@code reasons} field: the attribution groups that raised the case's score ({@code similar_fraud_cases},
     * {@code card_velocity}, ...), as text for the analysts' free-text search. The {@code simple} analyzer splits at
     * every non-letter, so "velocity" or "similar fraud" finds {@code card_velocity} or {@code similar_fraud_cases}.
     */
    static final String REASONS_MAPPING = "{\"type\": \"text\", \"analyzer\": \"simple\"}";

    /** Index settings that matter at creation. */
    public record Settings(int shards, int replicas, String refreshInterval, int hnswM, int hnswEfConstruction) {
        /** One shard, no replica, 1 s refresh, HNSW m 16 / ef_construction 128: a single-node deployment. */
        public static Settings singleNode() {
            return new Settings(1, 0, "1s", 16, 128);
        }
    }

    /**
     * One document a bulk write could not write: its id, the item's HTTP status, OpenSearch's error type and reason.
     */
    public record Failure(String id, int status, String type, String reason) {
        /**
         * True when sending the document again would fail again: a 4xx other than 408 (timeout), 409 (version
         * conflict, after {@code retry_on_conflict}) and 429 (rejected: the node is busy), e.g. a mapping error.
         */
        public boolean permanent() {
            return status >= 400 && status < 500 && status != 408 && status != 409 && status != 429;
        }

        @Override
        public String toString() {
            return id + ": " + reason;
        }
    }

    /** What a bulk write did: documents written or left as they were, and the documents that failed. */
    public record BulkResult(int written, int unchanged, List<Failure> failedItems) {
        public boolean ok() {
            return failedItems.isEmpty();
        }

        /** The failures as "id: reason". */
        public List<String> failures() {
            return failedItems.stream().map(Failure::toString).toList();
        }
    }

    private final OpenSearchHttp http;
    private final String name;
    private final int dimension;
    private final String vectorVersion;

    public CaseIndex(OpenSearchHttp http, String name, FeatureSpec spec) {
        this.http = Objects.requireNonNull(http, "http");
        this.name = Objects.requireNonNull(name, "name");
        this.dimension = spec.caseVectorDimension();
        this.vectorVersion = spec.caseVectorVersion();
    }

    public String name() {
        return name;
    }

    /** The case vector definition every document of this writer carries, and every search filters on. */
    public String vectorVersion() {
        return vectorVersion;
    }

    public int dimension() {
        return dimension;
    }

    /** The index body: settings and the strict mapping described in the class comment. */
    public String createBody(Settings settings) {
        return """
                {"settings": {"index": {"knn": true, "number_of_shards": %d, "number_of_replicas": %d,
                                        "refresh_interval": "%s"}},
                 "mappings": {"dynamic": "strict", "properties": {
                   "transaction_id": {"type": "keyword"},
                   "card_id": {"type": "keyword"},
                   "merchant_id": {"type": "keyword"},
                   "event_time": {"type": "date", "format": "epoch_millis"},
                   "amount_minor": {"type": "long"},
                   "currency": {"type": "keyword"},
                   "vector_version": {"type": "keyword"},
                   "case_vector": {"type": "float", "index": false, "doc_values": false},
                   "fraud_vector": {"type": "knn_vector", "dimension": %d,
                                    "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil",
                                               "parameters": {"m": %d, "ef_construction": %d}}},
                   "label": {"type": "keyword"},
                   "label_time": {"type": "date", "format": "epoch_millis"},
                   "label_source": {"type": "keyword"},
                   "reasons": %s}}}
                """.formatted(settings.shards(), settings.replicas(), settings.refreshInterval(), dimension,
                settings.hnswM(), settings.hnswEfConstruction(), REASONS_MAPPING);
    }

    /**
     * Creates the index unless it exists; true if this call created it. An index created before the {@code reasons}
     * field gets it now (adding a field is the one mapping change OpenSearch allows on a live index; the call is a
     * no-op when the field is there), so a strict mapping never refuses the documents of this writer.
     */
    public CompletableFuture<Boolean> createIfAbsent(Settings settings) {
        return http.status("HEAD", path("")).thenCompose(status -> {
            if (status == 200) {
                return http.send("PUT", path("/_mapping"), "{\"properties\": {\"reasons\": " + REASONS_MAPPING + "}}")
                        .thenApply(ignored -> false);
            }
            return http.send("PUT", path(""), createBody(settings)).handle((ok, error) -> {
                if (error == null) {
                    return true;
                }
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                if (cause.getMessage() != null && cause.getMessage().contains("resource_already_exists_exception")) {
                    return false; // created meanwhile by another instance
                }
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            });
        });
    }

    /** Indexes (or re-sends) scored transactions as cases, without reasons. */
    public CompletableFuture<BulkResult> upsert(List<Case> cases) {
        return upsert(cases, Map.of());
    }

    /**
     * Indexes (or re-sends) scored transactions as cases, each with the reasons that raised its score when
     * {@code reasons} has them (by transaction id; a case without any keeps the reasons it has).
     */
    public CompletableFuture<BulkResult> upsert(List<Case> cases, Map<String, List<String>> reasons) {
        if (cases.isEmpty()) {
            return CompletableFuture.completedFuture(new BulkResult(0, 0, List.of()));
        }
        StringBuilder body = new StringBuilder(cases.size() * 600);
        for (Case c : cases) {
            if (c.vector().length != dimension) {
                throw new IllegalArgumentException("case " + c.transactionId() + " has a vector of dimension "
                        + c.vector().length + ", the index has " + dimension);
            }
            ObjectNode doc = OpenSearchHttp.json().createObjectNode();
            doc.put("transaction_id", c.transactionId());
            doc.put("card_id", c.cardId());
            doc.put("merchant_id", c.merchantId());
            doc.put("event_time", c.eventTime().toEpochMilli());
            doc.put("amount_minor", c.amountMinor());
            doc.put("currency", c.currency());
            doc.put("vector_version", vectorVersion);
            if (CaseSimilarity.norm(c.vector()) > 0) {
                doc.set("case_vector", vectorJson(c.vector())); // a zero vector has no direction: never a neighbour
            }
            List<String> why = reasons.get(c.transactionId());
            if (why != null && !why.isEmpty()) {
                ArrayNode array = doc.putArray("reasons");
                why.forEach(array::add);
            }
            ObjectNode update = OpenSearchHttp.json().createObjectNode();
            update.putObject("script").put("source", UPSERT_CASE).put("lang", "painless").putObject("params").set("doc", doc);
            update.put("scripted_upsert", true);
            update.putObject("upsert");
            appendAction(body, c.transactionId());
            body.append(update).append('\n');
        }
        return http.sendNdjson("POST", path("/_bulk"), body.toString()).thenApply(CaseIndex::bulkResult);
    }

    /** Applies labels to their cases (see the class comment for the rules). */
    public CompletableFuture<BulkResult> applyLabels(List<CaseLabel> labels) {
        if (labels.isEmpty()) {
            return CompletableFuture.completedFuture(new BulkResult(0, 0, List.of()));
        }
        StringBuilder body = new StringBuilder(labels.size() * 700);
        for (CaseLabel l : labels) {
            ObjectNode update = OpenSearchHttp.json().createObjectNode();
            ObjectNode params = update.putObject("script").put("source", APPLY_LABEL).put("lang", "painless")
                    .putObject("params");
            params.put("label", l.isFraud() ? FRAUD : GENUINE);
            params.put("label_time", l.labelTime().toEpochMilli());
            params.put("label_source", l.source().name());
            update.put("scripted_upsert", true);
            update.putObject("upsert").put("transaction_id", l.transactionId());
            appendAction(body, l.transactionId());
            body.append(update).append('\n');
        }
        return http.sendNdjson("POST", path("/_bulk"), body.toString()).thenApply(CaseIndex::bulkResult);
    }

    /** Makes everything written so far searchable now (tests, and the end of a bulk load). */
    public CompletableFuture<Void> refresh() {
        return http.send("POST", path("/_refresh"), null).thenApply(ignored -> null);
    }

    /** Deletes the index (tests). */
    public CompletableFuture<Void> delete() {
        return http.send("DELETE", path(""), null).thenApply(ignored -> null);
    }

    /** How many documents the index holds (after a refresh). */
    public CompletableFuture<Long> count() {
        return http.send("GET", path("/_count"), null).thenApply(n -> n.path("count").asLong());
    }

    /** The vector as JSON numbers that read back as exactly the same floats (each float written as its exact double). */
    static ArrayNode vectorJson(float[] vector) {
        ArrayNode array = OpenSearchHttp.json().createArrayNode();
        for (float v : vector) {
            array.add((double) v);
        }
        return array;
    }

    private static void appendAction(StringBuilder body, String id) {
        ObjectNode action = OpenSearchHttp.json().createObjectNode();
        action.putObject("update").put("_id", id).put("retry_on_conflict", 5);
        body.append(action).append('\n');
    }

    private static BulkResult bulkResult(JsonNode response) {
        int written = 0;
        int unchanged = 0;
        List<Failure> failures = new ArrayList<>();
        for (JsonNode item : response.path("items")) {
            JsonNode update = item.path("update");
            if (update.has("error")) {
                JsonNode error = update.path("error");
                failures.add(new Failure(update.path("_id").asText(), update.path("status").asInt(),
                        error.path("type").asText(""), error.path("reason").asText(error.toString())));
            } else if ("noop".equals(update.path("result").asText())) {
                unchanged++;
            } else {
                written++;
            }
        }
        return new BulkResult(written, unchanged, List.copyOf(failures));
    }

    String path(String suffix) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8) + suffix;
    }
}
