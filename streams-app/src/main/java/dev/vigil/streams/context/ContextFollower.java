package dev.vigil.streams.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link LocalContext} current, on a thread of its own, so that the stream threads never wait for the network
 * to know a payment's context:
 * <ol>
 *   <li><b>Where the index's copy ends.</b> The case indexer's committed offsets on {@code fraud.scores} and
 *       {@code fraud.labels}: the indexer commits only what OpenSearch acknowledged, so the index holds at least
 *       everything before them.</li>
 *   <li><b>The index.</b> After a refresh, every document of the {@code cases} index that a payment can still need
 *       (event time within the retention before the newest, labeled fraud, or a label still waiting for its case),
 *       in pages. Without OpenSearch (down, or none configured) this step is skipped and the topics are read from the
 *       beginning instead: slower, and limited to what the topics retain.</li>
 *   <li><b>The topics.</b> Every partition of both topics ({@code assign}, no consumer group, read_committed), from
 *       those offsets: every case and label. Reading the same record twice (the index already had it) changes
 *       nothing. The context is loaded once the consumer has read to the end of every partition; from then on, each
 *       poll that leaves nothing unread tells the context it is fresh as of that poll ({@link LocalContext#caughtUp}).
 *       </li>
 * </ol>
 * Between polls it records what the stream threads offered (their own scores, before the topic brings them back) and
 * drops old cases now and then ({@link LocalContext#forgetOld}). A record it cannot decode is skipped and counted (the
 * case indexer dead-letters it); an unreachable schema registry makes it read the same records again after a pause.
 * {@link #close()} stops it within a few seconds.
 */
public final class ContextFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContextFollower.class);
    private static final int PAGE = 5_000;
    /** The longest a poll waits: also how long the stream threads' own scores wait to be recorded. */
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(30);
    private static final int FETCH_MIN_BYTES = 16 * 1024;
    /**
     * The longest a record waits at the broker for the follower. A poll that leaves nothing unread vouches for what was
     * written up to this long before it: the context's age counts from there, so that it is never understated.
     */
    static final Duration FETCH_MAX_WAIT = Duration.ofMillis(50);

    /**
     * What to follow.
     *
     * @param kafka client properties (at least {@code bootstrap.servers})
     * @param indexerGroupId the case indexer's consumer group, whose committed offsets say where the index's copy ends;
     *                       null when no indexer writes the index (the topics are then read from the beginning)
     * @param index the cases index to load first; null to load only from the topics
     */
    public record Config(Map<String, Object> kafka, String scoresTopic, String labelsTopic, String indexerGroupId,
                         CaseIndex index, OpenSearchHttp http, Duration indexTimeout) {}

    private final Config config;
    private final LocalContext context;
    private final AvroSerde<FraudScore> scores;
    private final AvroSerde<FraudLabel> labels;
    private final Thread thread;
    private final CountDownLatch loadedLatch = new CountDownLatch(1);
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong fromIndex = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public ContextFollower(Config config, LocalContext context, AvroSerde<FraudScore> scores,
                           AvroSerde<FraudLabel> labels) {
        this.config = config;
        this.context = context;
        this.scores = scores;
        this.labels = labels;
        this.thread = new Thread(this::run, "vigil-context-follower");
        this.thread.setDaemon(true);
    }

    public ContextFollower start() {
        thread.start();
        return this;
    }

    /** Waits until the context is loaded (the index, then the topics to their end); false if the time ran out. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loadedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records read from the topics. */
    public long read() {
        return read.get();
    }

    /** Records skipped because they could not be decoded. */
    public long skipped() {
        return skipped.get();
    }

    /** Documents loaded from the cases index at start. */
    public long loadedFromIndex() {
        return fromIndex.get();
    }

    /** The last error met (null if none). */
    public String lastError() {
        return lastError.get();
    }

    private void run() {
        Map<String, Object> props = new HashMap<>(config.kafka());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-context-follower");
        // one fetch per 16 KB or 50 ms rather than one per record: the broker's work per fetch is most of its cost at
        // a few thousand scores a second, and a context 50 ms behind is well inside the staleness bound
        props.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FETCH_MAX_WAIT.toMillis());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            if (!running) {
                return;
            }
            List<TopicPartition> partitions = awaitPartitions(c);
            if (partitions == null) {
                return;
            }
            Map<TopicPartition, Long> start = startingOffsets(partitions);
            c.assign(partitions);
            start.forEach(c::seek);
            List<TopicPartition> fresh = new ArrayList<>(partitions);
            fresh.removeAll(start.keySet());
            c.seekToBeginning(fresh);
            follow(c, partitions);
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            lastError.set(e.toString());
            log.error("the context follower stopped: {}; scores are flagged context_stale from now on", e.toString(), e);
        } finally {
            consumer = null;
        }
    }

    /** The partitions of both topics, once both exist; null if closed meanwhile. */
    private List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> c) {
        while (running) {
            List<TopicPartition> all = partitionsOf(c);
            if (all != null) {
                return all;
            }
            sleep(RETRY);
        }
        return null;
    }

    private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : List.of(config.scoresTopic(), config.labelsTopic())) {
            List<PartitionInfo> infos;
            try {
                infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                lastError.set("partitions of " + topic + ": " + e);
                log.warn("the context follower cannot list the partitions of {} ({}); retrying", topic, e.toString());
                return null;
            }
            if (infos == null || infos.isEmpty()) {
                lastError.set("topic " + topic + " does not exist yet");
                return null;
            }
            infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
        }
        return all;
    }

    /**
     * Where to read the topics from: after loading the index, the indexer's committed offsets (what the index is
     * known to hold); without the index, nothing (every partition from its beginning).
     */
    private Map<TopicPartition, Long> startingOffsets(List<TopicPartition> partitions) {
        if (config.index() == null) {
            return Map.of();
        }
        Map<TopicPartition, Long> committed = Map.of();
        if (config.indexerGroupId() != null) {
            try (Admin admin = Admin.create(adminProps())) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(config.indexerGroupId())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                Map<TopicPartition, Long> known = new HashMap<>();
                offsets.forEach((tp, om) -> {
                    if (om != null && partitions.contains(tp)) {
                        known.put(tp, om.offset());
                    }
                });
                committed = known;
            } catch (Exception e) {
                log.warn("cannot read the case indexer's offsets ({}); the topics are read from the beginning",
                        e.toString());
                committed = Map.of();
            }
        }
        long deadline = System.nanoTime() + config.indexTimeout().toNanos();
        while (running) {
            try {
                loadIndex();
                return committed;
            } catch (RuntimeException e) {
                lastError.set("loading the cases index: " + e);
                if (System.nanoTime() > deadline) {
                    log.warn("cannot load the cases index {} ({}); the context is read from the topics alone, "
                            + "from their beginning", config.index().name(), e.toString());
                    return Map.of();
                }
                sleep(RETRY);
            }
        }
        return Map.of();
    }

    private Map<String, Object> adminProps() {
        Map<String, Object> admin = new HashMap<>();
        config.kafka().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                admin.put(k, v);
            }
        });
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-context-follower-admin");
        return admin;
    }

    /** Every document a payment can still need, page by page into the context. */
    private void loadIndex() {
        CaseIndex index = config.index();
        OpenSearchHttp http = config.http();
        long started = System.nanoTime();
        join(index.refresh());
        JsonNode newest = join(http.send("POST", index.path("/_search"),
                "{\"size\":0,\"aggs\":{\"newest\":{\"max\":{\"field\":\"event_time\"}}}}"));
        JsonNode value = newest.path("aggregations").path("newest").path("value");
        // an index without cases (only labels, or empty): every document (0, not Long.MIN_VALUE, which OpenSearch
        // refuses as a date)
        long cutoff = value.isNumber() ? Math.max(0, value.asLong() - context.retention().toMillis()) : 0;
        JsonNode after = null;
        long documents = 0;
        while (running) {
            JsonNode page = join(http.send("POST", index.path("/_search"), pageQuery(cutoff, after).toString()));
            JsonNode hits = page.path("hits").path("hits");
            List<Case> cases = new ArrayList<>(hits.size());
            List<CaseLabel> caseLabels = new ArrayList<>();
            for (JsonNode hit : hits) {
                documentOf(hit.path("_source"), index, cases, caseLabels);
            }
            context.record(cases, caseLabels);
            documents += hits.size();
            if (hits.size() < PAGE) {
                break;
            }
            after = hits.get(hits.size() - 1).path("sort");
        }
        fromIndex.set(documents);
        log.info("local context: {} documents loaded from the cases index {} in {} ms ({} cases, {} fraud)", documents,
                index.name(), (System.nanoTime() - started) / 1_000_000, context.size(), context.fraudCases());
    }

    private static ObjectNode pageQuery(long cutoff, JsonNode after) {
        ObjectNode q = OpenSearchHttp.json().createObjectNode();
        q.put("size", PAGE);
        q.put("track_total_hits", false);
        ObjectNode bool = q.putObject("query").putObject("bool");
        ArrayNode should = bool.putArray("should");
        should.addObject().putObject("range").putObject("event_time").put("gte", cutoff);
        should.addObject().putObject("term").put("label", CaseIndex.FRAUD);
        should.addObject().putObject("bool").putArray("must_not").addObject().putObject("exists")
                .put("field", "event_time");
        bool.put("minimum_should_match", 1);
        q.putArray("sort").addObject().put("transaction_id", "asc");
        ArrayNode source = q.putArray("_source");
        for (String field : new String[] {"transaction_id", "card_id", "merchant_id", "event_time", "amount_minor",
                "currency", "vector_version", "case_vector", "label", "label_time", "label_source"}) {
            source.add(field);
        }
        if (after != null) {
            q.set("search_after", after);
        }
        return q;
    }

    /** A document as a case (when it has one: a label may come before its case) and a label (when it has one). */
    static void documentOf(JsonNode doc, CaseIndex index, List<Case> cases, List<CaseLabel> caseLabels) {
        String id = doc.path("transaction_id").asText();
        if (id.isEmpty()) {
            return;
        }
        if (doc.hasNonNull("event_time")) {
            float[] vector = new float[index.dimension()];
            JsonNode stored = doc.path("case_vector");
            // a vector of another feature spec counts for its merchant but is no one's neighbour, as in the searches
            if (stored.size() == vector.length && index.vectorVersion().equals(doc.path("vector_version").asText())) {
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) stored.get(i).asDouble(); // written as the float's exact double
                }
            }
            cases.add(new Case(id, doc.path("card_id").asText(""), doc.path("merchant_id").asText(""),
                    Instant.ofEpochMilli(doc.path("event_time").asLong()), doc.path("amount_minor").asLong(),
                    doc.path("currency").asText("XXX"), vector));
        }
        if (doc.hasNonNull("label") && doc.hasNonNull("label_time")) {
            LabelSource source;
            try {
                source = LabelSource.valueOf(doc.path("label_source").asText("UNKNOWN"));
            } catch (IllegalArgumentException e) {
                source = LabelSource.UNKNOWN;
            }
            caseLabels.add(new CaseLabel(id, CaseIndex.FRAUD.equals(doc.path("label").asText()),
                    Instant.ofEpochMilli(doc.path("label_time").asLong()), source));
        }
    }

    private void follow(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        boolean loaded = false;
        long nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
        long nextEndOffsets = 0;
        while (running) {
            long freshAsOf = System.currentTimeMillis() - FETCH_MAX_WAIT.toMillis(); // see FETCH_MAX_WAIT
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            // one write lock for what was read and what the stream threads offered meanwhile
            if (!apply(c, records, context.drainOffered())) {
                sleep(RETRY); // the registry is away: the same records are read again
                continue;
            }
            boolean caughtUp = caughtUp(c, partitions);
            if (!caughtUp && System.nanoTime() > nextEndOffsets) {
                // a partition whose lag is not known yet (nothing fetched): ask for the end offsets, once a second
                nextEndOffsets = System.nanoTime() + RETRY.toNanos();
                Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(10));
                caughtUp = ends.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
            }
            if (caughtUp) {
                if (!loaded) {
                    loaded = true;
                    context.loaded(freshAsOf);
                    loadedLatch.countDown();
                    log.info("local context loaded: {} cases ({} fraud), {} records read from {} and {}",
                            context.size(), context.fraudCases(), read.get(), config.scoresTopic(),
                            config.labelsTopic());
                } else {
                    context.caughtUp(freshAsOf);
                }
            }
            context.forgetOld();
            if (System.nanoTime() > nextPartitionCheck) {
                nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                List<TopicPartition> now = partitionsOf(c);
                if (now != null && !now.equals(partitions)) { // partitions added to a topic
                    List<TopicPartition> added = new ArrayList<>(now);
                    added.removeAll(partitions);
                    partitions = now;
                    c.assign(partitions);
                    c.seekToBeginning(added);
                }
            }
        }
    }

    /**
     * Decodes and records a poll's records with the stream threads' own cases; false (the records rewound, the offered
     * cases recorded) when the registry could not be asked.
     */
    private boolean apply(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records, List<Case> offered) {
        int dimension = context.dimension();
        List<Case> cases = new ArrayList<>(records.count() + offered.size());
        cases.addAll(offered);
        List<CaseLabel> caseLabels = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
                continue;
            }
            try {
                if (r.topic().equals(config.scoresTopic())) {
                    cases.add(ScoreCases.of(scores.decode(r.topic(), r.value()), dimension));
                } else {
                    caseLabels.add(CaseLabel.of(labels.decode(r.topic(), r.value())));
                }
            } catch (SchemaRegistryException e) {
                lastError.set("schema registry: " + e.getMessage());
                log.warn("the context follower cannot ask the schema registry ({}); reading again in {}",
                        e.getMessage(), RETRY);
                for (TopicPartition tp : records.partitions()) {
                    c.seek(tp, records.records(tp).get(0).offset());
                }
                context.record(offered, List.of());
                return false;
            } catch (RuntimeException e) {
                long n = skipped.incrementAndGet();
                lastError.set(r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
                if (n <= 10 || Long.bitCount(n) == 1) {
                    log.warn("the context follower skips {}-{} offset {} ({} so far): {}", r.topic(), r.partition(),
                            r.offset(), n, e.getMessage());
                }
            }
        }
        context.record(cases, caseLabels);
        read.addAndGet(records.count());
        return true;
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            OptionalLong lag = c.currentLag(tp);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    private <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(config.http().requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("OpenSearch did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
