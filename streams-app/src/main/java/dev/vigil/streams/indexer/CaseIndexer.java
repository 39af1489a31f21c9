package dev.vigil.streams.indexer;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.BatchedFetch;
import dev.vigil.schemas.DeadLetters;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.streams.context.CaseIndex;
import dev.vigil.streams.context.OpenSearchHttp;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The case indexer: reads scored transactions ({@code fraud.scores}) and labels ({@code fraud.labels}) and writes them
 * into the OpenSearch {@link CaseIndex}, which the scoring path searches for merchant context and similar fraud cases.
 *
 * <pre>{@code
 * try (CaseIndexer indexer = new CaseIndexer(CaseIndexerConfig.defaults(bootstrap, registryUrl, openSearchUrl))) {
 *     indexer.start();           // creates the index if absent, then consumes on its own thread
 *     ...                        // indexer.counters() for metrics
 * }                              // close(): stops within close.timeout
 * }</pre>
 *
 * <h2>One poll, one round</h2>
 * A plain consumer (group {@code vigil-case-indexer} by default, {@code read_committed}, auto commit off) reads both
 * topics. The records of one poll ({@link IndexBatch}) become one bulk upsert of cases and one bulk label update, sent
 * together; then the records that cannot be indexed go to the dead-letter topic, and only when OpenSearch and the
 * dead-letter topic have acknowledged everything are the poll's offsets committed.
 *
 * <h2>At least once, harmless replays</h2>
 * Every write is idempotent by transaction id (the document id) and order-free ({@link CaseIndex}): a case upsert
 * leaves the label alone, a label wins only if it is at least as recent as the current one. So re-reading records is
 * harmless, and the indexer simply re-reads on any failure: when OpenSearch is down or slow (request timeout), when it
 * rejects items as busy (429), when the registry or Kafka fail, it seeks back to the poll's first offsets, waits
 * (exponential backoff, {@code backoff.initial} doubling up to {@code backoff.max}) and does the round again. It never
 * commits past a record that is not indexed or dead-lettered, and never stops on its own. While it waits it keeps
 * polling with its partitions paused, so it stays in its group however long OpenSearch is away.
 *
 * <h2>Labels before their case</h2>
 * A label can arrive before its score (another topic, another partition). {@link CaseIndex#applyLabels} then creates
 * a document with only the label, and the case's upsert fills in the rest later, leaving the label alone; nothing needs
 * to be held back here, and no label is lost. A label whose case is never scored stays a label-only document: it has no
 * merchant, so no merchant counts it, and no vector, so no search finds it.
 *
 * <h2>Dead letters (stage {@value #STAGE})</h2>
 * A record goes to the dead-letter topic with its bytes and the reason when it can never be indexed: not a value of
 * the topic's schema (not the wire format, unknown schema id, corrupt body), a value the index cannot take
 * ({@link IndexBatch}: a case vector of another dimension, an unusable transaction id), or an item OpenSearch refused
 * for good (a 4xx such as a mapping error; 408, 409 and 429 are retried). A dead letter is never fatal. Dead letters
 * are at least once too: if the commit after them fails, the round is done again and they are sent again.
 *
 * <h2>Stopping</h2>
 * {@link #close()} wakes the consumer and waits at most {@code close.timeout} for the thread: an OpenSearch request in
 * flight is abandoned (not committed: it is redone on the next start), and the consumer leaves its group so that the
 * next instance starts at once.
 */
public final class CaseIndexer implements AutoCloseable {

    /** The {@code stage} of this indexer's dead letters. */
    public static final String STAGE = "index";

    private static final Logger LOG = LoggerFactory.getLogger(CaseIndexer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** How often a wait on OpenSearch or Kafka looks whether close() was called. */
    private static final long AWAIT_SLICE_MILLIS = 50;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_MESSAGE_CHARS = 4_000;

    private final CaseIndexerConfig config;
    private final CaseIndex index;
    private final AvroSerde<FraudScore> scores;
    private final AvroSerde<FraudLabel> labels;
    private final AvroSerde<DeadLetter> deadLetters;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final CaseIndexerCounters counters = new CaseIndexerCounters();
    private final Thread thread;
    private final CountDownLatch closeSignal = new CountDownLatch(1);

    private volatile boolean closing;
    private boolean started;
    private final AtomicBoolean clientsClosed = new AtomicBoolean();
    /** Only on the indexing thread: failures since the last success, for the backoff. */
    private int failuresInARow;
    /** Only on the indexing thread: true while waiting out a backoff with every partition paused. */
    private boolean pausedForBackoff;

    public CaseIndexer(CaseIndexerConfig config) {
        this.config = config;
        OpenSearchHttp http = new OpenSearchHttp(config.openSearchUrl(), OpenSearchHttp.DEFAULT_CONNECT_TIMEOUT,
                config.openSearchTimeout());
        this.index = new CaseIndex(http, config.indexName(), config.spec());
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistryUrl());
        this.scores = new AvroSerde<>(FraudScore.class, registry, false);
        this.labels = new AvroSerde<>(FraudLabel.class, registry, false);
        this.deadLetters = new AvroSerde<>(DeadLetter.class, registry, true);
        String clientId = config.groupId() + "-" + INSTANCES.incrementAndGet();
        this.consumer = new KafkaConsumer<>(consumerConfig(config, clientId), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerConfig(config, clientId), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.thread = new Thread(this::run, "case-indexer-" + clientId);
    }

    static Properties consumerConfig(CaseIndexerConfig config, String clientId) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(config.bootstrapServers()));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a new group indexes the whole history
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
        return BatchedFetch.apply(p);
    }

    static Properties producerConfig(CaseIndexerConfig config, String clientId) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(config.bootstrapServers()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dlq");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // a broker that is away makes send() fail within seconds (then the round is retried), never block for a minute
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return p;
    }

    /** Starts indexing on the indexer's own thread. Once only. */
    public synchronized void start() {
        if (closing) {
            throw new IllegalStateException("the case indexer is closed");
        }
        if (started) {
            throw new IllegalStateException("the case indexer is already started");
        }
        started = true;
        thread.start();
    }

    /** What the indexer has done so far. */
    public CaseIndexerCounters counters() {
        return counters;
    }

    /** True while the indexing thread runs. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    public CaseIndexerConfig config() {
        return config;
    }

    /**
     * Stops within {@code close.timeout}: whatever is not committed is read again by the next instance of the group.
     */
    @Override
    public synchronized void close() {
        closing = true;
        closeSignal.countDown();
        if (!started) {
            closeClients();
            return;
        }
        consumer.wakeup();
        try {
            thread.join(config.closeTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("case indexer thread {} did not stop within {} ms", thread.getName(),
                    config.closeTimeout().toMillis());
        }
    }

    // ---- the indexing thread ----

    private void run() {
        LOG.info("case indexer {} starting: {} and {} into index {} at {}", thread.getName(), config.scoresTopic(),
                config.labelsTopic(), config.indexName(), config.openSearchUrl());
        try {
            createIndex();
            consumer.subscribe(List.of(config.scoresTopic(), config.labelsTopic()), new PauseWhileWaiting());
            while (!closing) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(config.pollTimeout());
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (KafkaException e) {
                    retryLater("polling failed: " + e);
                    continue;
                }
                if (!records.isEmpty()) {
                    indexRound(records);
                }
            }
        } catch (WakeupException | InterruptException | Stopping e) {
            // close() was called
        } catch (RuntimeException | Error e) {
            LOG.error("case indexer {} stopped by an unexpected failure", thread.getName(), e);
            counters.failed("stopped: " + e);
        } finally {
            closeClients();
            LOG.info("case indexer {} stopped: {}", thread.getName(), counters);
        }
    }

    /** Creates the index unless it exists, retrying until OpenSearch answers. */
    private void createIndex() {
        while (!closing) {
            try {
                boolean created = await(index.createIfAbsent(config.indexSettings()));
                LOG.info("index {} {}", config.indexName(), created ? "created" : "exists");
                failuresInARow = 0;
                return;
            } catch (ExecutionException | RuntimeException e) {
                if (e instanceof Stopping s) {
                    throw s;
                }
                retryLater("cannot create index " + config.indexName() + ": " + rootMessage(e));
            }
        }
        throw new Stopping();
    }

    /** One poll's records: indexed, dead-lettered, committed; or, on any failure, read again after a backoff. */
    private void indexRound(ConsumerRecords<byte[], byte[]> records) {
        try {
            IndexBatch batch = IndexBatch.of(records, config.scoresTopic(), config.labelsTopic(), scores::decode,
                    labels::decode, index.dimension());
            List<DeadLetter> letters = new ArrayList<>();
            for (IndexBatch.Refused r : batch.refused()) {
                letters.add(deadLetter(r.record(), r.errorClass(), r.reason()));
            }
            // both at once: the writes are order-free, and two updates of one document retry on conflict
            CompletableFuture<CaseIndex.BulkResult> casesSent = index.upsert(batch.cases(), batch.reasons());
            CompletableFuture<CaseIndex.BulkResult> labelsSent = index.applyLabels(batch.labels());
            CaseIndex.BulkResult cases = awaitOpenSearch(casesSent, "bulk upsert of " + batch.cases().size() + " cases");
            CaseIndex.BulkResult labelled = awaitOpenSearch(labelsSent, "bulk update of " + batch.labels().size()
                    + " labels");
            letters.addAll(permanentFailures(cases, batch, true));
            letters.addAll(permanentFailures(labelled, batch, false));
            sendDeadLetters(letters);
            commit(batch);
            counters.committed(batch.records(), cases.written(), cases.unchanged(), labelled.written(),
                    labelled.unchanged(), letters.size());
            failuresInARow = 0;
            LOG.debug("committed {} records: {} cases, {} labels, {} dead letters", batch.records(),
                    batch.cases().size(), batch.labels().size(), letters.size());
        } catch (RetryLater e) {
            rewind(records);
            retryLater(e.getMessage());
        } catch (SchemaRegistryException e) {
            rewind(records);
            retryLater("schema registry: " + e.getMessage());
        } catch (WakeupException | InterruptException | Stopping e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("unexpected failure indexing {} records; reading them again", records.count(), e);
            rewind(records);
            retryLater("unexpected: " + e);
        }
    }

    /**
     * The items OpenSearch refused for good, as dead letters; a transient item failure (busy, conflict) makes the
     * whole round retry (the items that did succeed are idempotent).
     */
    private List<DeadLetter> permanentFailures(CaseIndex.BulkResult result, IndexBatch batch, boolean cases) {
        List<DeadLetter> letters = new ArrayList<>();
        List<CaseIndex.Failure> transientFailures = new ArrayList<>();
        for (CaseIndex.Failure f : result.failedItems()) {
            if (!f.permanent()) {
                transientFailures.add(f);
                continue;
            }
            Optional<ConsumerRecord<byte[], byte[]>> source = cases ? batch.sourceOfCase(f.id()) : batch.sourceOfLabel(f.id());
            if (source.isEmpty()) {
                LOG.error("OpenSearch refused document {} which this round did not send: {}", f.id(), f.reason());
                continue;
            }
            LOG.warn("OpenSearch refused {} {} ({} {}): dead-lettered", cases ? "case" : "label", f.id(), f.status(),
                    f.type());
            letters.add(deadLetter(source.get(), "opensearch." + (f.type().isEmpty() ? "error" : f.type()),
                    "OpenSearch refused the document (HTTP " + f.status() + "): " + f.reason()));
        }
        if (!transientFailures.isEmpty()) {
            throw new RetryLater(transientFailures.size() + " " + (cases ? "cases" : "labels")
                    + " not written for now, e.g. " + transientFailures.get(0) + " (HTTP "
                    + transientFailures.get(0).status() + ")");
        }
        return letters;
    }

    private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String errorClass, String reason) {
        return DeadLetters.of(new DeadLetters.Source(record.topic(), record.partition(), record.offset()),
                record.key(), record.value(), STAGE, errorClass,
                DeadLetters.cutText(reason, MAX_MESSAGE_CHARS), Instant.now(), config.groupId());
    }

    private void sendDeadLetters(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(letters.size());
        try {
            for (DeadLetter letter : letters) {
                byte[] key = letter.getOriginalKey() == null ? null : bytes(letter.getOriginalKey());
                sent.add(producer.send(new ProducerRecord<>(config.deadLetterTopic(), key,
                        deadLetters.encode(config.deadLetterTopic(), letter))));
                LOG.warn("dead letter for {}-{}@{}: {}: {}", letter.getSourceTopic(), letter.getSourcePartition(),
                        letter.getSourceOffset(), letter.getErrorClass(), letter.getErrorMessage());
            }
            for (Future<RecordMetadata> f : sent) {
                await(f);
            }
        } catch (ExecutionException e) {
            throw new RetryLater("dead-letter topic " + config.deadLetterTopic() + ": " + rootMessage(e));
        } catch (SchemaRegistryException e) {
            throw new RetryLater("dead-letter schema: " + e.getMessage());
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            throw new RetryLater("dead-letter topic " + config.deadLetterTopic() + ": " + e);
        }
    }

    private void commit(IndexBatch batch) {
        try {
            consumer.commitSync(batch.offsetsToCommit(), COMMIT_TIMEOUT);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // e.g. the group rebalanced: everything is indexed, the next owner replays it harmlessly
            throw new RetryLater("commit failed: " + e);
        }
    }

    /** Seeks every partition of the round (still assigned) back to the round's first record. */
    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        seekToFirst(records, consumer.assignment());
    }

    private void seekToFirst(ConsumerRecords<byte[], byte[]> records, Collection<TopicPartition> assigned) {
        for (TopicPartition tp : records.partitions()) {
            if (assigned.contains(tp)) {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }

    /** Counts the failure and waits out the backoff, staying in the group (partitions paused) once subscribed. */
    private void retryLater(String why) {
        failuresInARow++;
        counters.retried();
        counters.failed(why);
        Duration wait = config.backoff(failuresInARow);
        LOG.warn("{}; again in {} ms (failure {} in a row)", why, wait.toMillis(), failuresInARow);
        if (consumer.subscription().isEmpty()) {
            try {
                if (closeSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new Stopping();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopping();
            }
            return;
        }
        consumer.pause(consumer.assignment());
        pausedForBackoff = true;
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            long left;
            while (!closing && (left = deadline - System.nanoTime()) > 0) {
                ConsumerRecords<byte[], byte[]> early = consumer.poll(Duration.ofNanos(left));
                // only from a partition assigned in a rebalance before the listener paused it: read it after the wait
                seekToFirst(early, early.partitions());
            }
        } finally {
            pausedForBackoff = false;
            consumer.resume(consumer.paused());
        }
    }

    /** Keeps partitions that are assigned during a backoff paused, so nothing is read before the wait is over. */
    private final class PauseWhileWaiting implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing to flush: a round is committed before the next poll, or read again by the next owner
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("case indexer {} assigned {}", thread.getName(), partitions);
            if (pausedForBackoff) {
                consumer.pause(partitions);
            }
        }
    }

    private CaseIndex.BulkResult awaitOpenSearch(CompletableFuture<CaseIndex.BulkResult> f, String what) {
        try {
            return await(f);
        } catch (ExecutionException e) {
            throw new RetryLater("OpenSearch " + what + ": " + rootMessage(e));
        }
    }

    /** Waits for a future, looking every few ms whether close() was called (then gives up with Stopping). */
    private <T> T await(Future<T> future) throws ExecutionException {
        while (true) {
            if (closing) {
                throw new Stopping();
            }
            try {
                return future.get(AWAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at closing again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopping();
            }
        }
    }

    /** Once; from the thread as it ends, or from close() if it never started (not under close()'s lock: it joins). */
    private void closeClients() {
        if (!clientsClosed.compareAndSet(false, true)) {
            return;
        }
        Duration budget = config.closeTimeout().dividedBy(2);
        try {
            consumer.close(CloseOptions.timeout(budget)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            LOG.warn("closing the consumer: {}", e.toString());
        }
        try {
            producer.close(budget.dividedBy(2));
        } catch (RuntimeException e) {
            LOG.warn("closing the dead-letter producer: {}", e.toString());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The round failed for a reason that is not the records' fault: read them again after a backoff. */
    private static final class RetryLater extends RuntimeException {
        RetryLater(String message) {
            super(message, null, false, false);
        }
    }

    /** close() was called: unwind to the end of the thread. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("closing", null, false, false);
        }
    }
}
