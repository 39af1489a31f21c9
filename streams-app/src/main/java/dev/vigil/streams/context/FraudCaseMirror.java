package dev.vigil.streams.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.HistoryContextSource;
import dev.vigil.model.context.SimilarCases;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache of the {@code cases} index's fraud-labeled cases, for the similar-case search: every {@code refresh} it
 * reads all documents labeled fraud (vector, event time, label time) from OpenSearch and rebuilds an in-memory
 * {@link HistoryContextSource} from them, which answers {@link #similar} exactly as {@code OpenSearchContextSource}'s
 * EXACT search does (same cases, same filters: label time &lt;= t, event time &lt; t; same cosine, same order; a test
 * proves it on the same index).
 *
 * <p>Why: measured here, OpenSearch spends about 1.4 ms of CPU per payment on the two context searches, which caps a
 * 2-core machine near 1,000 payments/s with OpenSearch on the same cores, while the similar-case search over a few
 * thousand fraud cases is a few microseconds in memory. Fraud cases are a small share of all cases (the simulator's
 * 60 days hold about 5,000 of 650,000), so the whole set is re-read; beyond some hundred thousand fraud cases this
 * should become an incremental read by label time.
 *
 * <p>Staleness: a fraud label is seen here up to {@code refresh} + OpenSearch's refresh interval after it is
 * indexed, about the same lag as the case indexer's. Until the first load succeeds, {@link #similar} returns
 * {@code null} (the caller asks OpenSearch or degrades).
 */
public final class FraudCaseMirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FraudCaseMirror.class);
    private static final int PAGE = 5_000;

    private final OpenSearchHttp http;
    private final CaseIndex index;
    private final ScheduledExecutorService refresher;
    private volatile HistoryContextSource cases;
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile Instant loadedAt;

    private FraudCaseMirror(OpenSearchHttp http, CaseIndex index) {
        this.http = http;
        this.index = index;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-fraud-case-mirror");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads the fraud cases now (waiting at most {@code firstLoad}) and then every {@code refresh}. */
    public static FraudCaseMirror start(OpenSearchHttp http, CaseIndex index, Duration refresh, Duration firstLoad) {
        FraudCaseMirror mirror = new FraudCaseMirror(http, index);
        try {
            mirror.refresher.submit(mirror::reload).get(firstLoad.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("fraud cases not loaded from {} yet ({}); retrying every {}", index.name(), e.toString(), refresh);
        }
        mirror.refresher.scheduleWithFixedDelay(mirror::reload, refresh.toMillis(), refresh.toMillis(),
                TimeUnit.MILLISECONDS);
        return mirror;
    }

    /** The k fraud cases most similar as of {@code asOf}; null until the first load. */
    public SimilarCases similar(float[] caseVector, Instant asOf, int k) {
        HistoryContextSource current = cases;
        return current == null ? null : current.similar(caseVector, asOf, k);
    }

    /** Fraud cases held (0 before the first load). */
    public int size() {
        HistoryContextSource current = cases;
        return current == null ? 0 : current.fraudCases();
    }

    public long loads() {
        return loads.get();
    }

    public long failures() {
        return failures.get();
    }

    /** When the cases held were read, or null. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** Reads every fraud-labeled case (in pages, by transaction id) and makes them current. */
    void reload() {
        try {
            Instant started = Instant.now();
            HistoryContextSource next = new HistoryContextSource(index.dimension());
            JsonNode after = null;
            while (true) {
                JsonNode page = http.send("POST", index.path("/_search"), query(after).toString())
                        .get(http.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
                JsonNode hits = page.path("hits").path("hits");
                for (JsonNode hit : hits) {
                    record(next, hit.path("_source"));
                }
                if (hits.size() < PAGE) {
                    break;
                }
                after = hits.get(hits.size() - 1).path("sort");
            }
            cases = next;
            loadedAt = started;
            loads.incrementAndGet();
        } catch (Exception e) {
            failures.incrementAndGet();
            log.warn("reloading the fraud cases from {} failed ({}); keeping the {} read at {}", index.name(),
                    e.toString(), size(), loadedAt);
        }
    }

    private ObjectNode query(JsonNode after) {
        ObjectNode q = OpenSearchHttp.json().createObjectNode();
        q.put("size", PAGE);
        q.put("track_total_hits", false);
        q.putObject("query").putObject("bool").putArray("filter").addObject().putObject("term")
                .put("label", CaseIndex.FRAUD);
        ArrayNode sort = q.putArray("sort");
        sort.addObject().put("transaction_id", "asc");
        ArrayNode source = q.putArray("_source");
        for (String field : new String[] {"transaction_id", "card_id", "merchant_id", "event_time", "amount_minor",
                "currency", "case_vector", "label_time", "label_source"}) {
            source.add(field);
        }
        if (after != null) {
            q.set("search_after", after);
        }
        return q;
    }

    private void record(HistoryContextSource target, JsonNode doc) {
        JsonNode stored = doc.path("case_vector");
        if (!doc.hasNonNull("event_time") || stored.size() != index.dimension()) {
            return; // a label whose case is not indexed yet, or a zero vector (never anyone's neighbour)
        }
        float[] vector = new float[stored.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) stored.get(i).asDouble(); // written as the float's exact double
        }
        String id = doc.path("transaction_id").asText();
        target.recordTransaction(new Case(id, doc.path("card_id").asText(""), doc.path("merchant_id").asText(""),
                Instant.ofEpochMilli(doc.path("event_time").asLong()), doc.path("amount_minor").asLong(),
                doc.path("currency").asText("XXX"), vector));
        LabelSource source;
        try {
            source = LabelSource.valueOf(doc.path("label_source").asText("UNKNOWN"));
        } catch (IllegalArgumentException e) {
            source = LabelSource.UNKNOWN;
        }
        target.recordLabel(new CaseLabel(id, true, Instant.ofEpochMilli(doc.path("label_time").asLong()), source));
    }

    /** A future that completes once the mirror holds a load newer than now (tests). */
    public CompletableFuture<Void> reloadNow() {
        return CompletableFuture.runAsync(this::reload, refresher);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
