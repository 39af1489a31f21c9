package dev.vigil.streams.adapters;

import dev.vigil.model.adapter.AdapterRejectedException;
import dev.vigil.model.adapter.AdapterVerifier;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.model.adapter.ReleaseRecords;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.model.adapter.AdapterRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code fraud.adapters} and hot-swaps the live adapter: every release keyed by this service's base-model
 * hash (record key {@code <hash>/<sequence>}, see {@link ReleaseRecords}) has its seal checked over the raw bytes
 * before anything is decoded, then is decoded and checked by the {@link AdapterVerifier}; one that passes replaces
 * the adapter in the {@link AdapterSlot}, which the scorer reads once per batch. A release that fails is logged at
 * WARN with its reason, counted and reported to the {@link Listener}; the last good adapter stays live.
 *
 * <p>How it reads: a {@link KafkaConsumer} of its own, on one daemon thread, {@code assign}ed to every partition of
 * the topic and sought to the beginning, {@code read_committed}, committing nothing. The topic is compacted and each
 * release has its own key, so the topic keeps every release: every instance reads them in order at start-up, without
 * a consumer group, and a replayed old release meets the newer one first. Records keyed by another base model are
 * skipped unread. Values are decoded here, one record at a time, so one unreadable record is counted as rejected
 * ({@code unreadable}) and the rest still apply; a schema registry that cannot be reached is retried (the record is
 * read again after a pause) rather than counted.
 *
 * <pre>{@code
 * AdapterSlot slot = new AdapterSlot(new LiveAdapter("1", 1, modelDir.adapter()));
 * AdapterVerifier verifier = AdapterVerifier.forModel(modelDir, trustedKeys, slot::get);
 * try (AdapterUpdater updater = new AdapterUpdater(Map.of("bootstrap.servers", bootstrap), Topics.ADAPTERS,
 *         new AvroSerde<>(AdapterRelease.class, registry, false).deserializer(), verifier, slot, listener)) {
 *     updater.start();
 *     updater.awaitCaughtUp(Duration.ofSeconds(30));   // optional: score with the latest release from the start
 *     ...
 * }
 * }</pre>
 *
 * <p>Partitions are discovered once, when the topic first exists; a partition added later is not followed until a
 * restart (the topic has one partition and is keyed, so a base model's releases are in one partition, in order).
 */
public final class AdapterUpdater implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdapterUpdater.class);

    /** Longest a poll blocks; {@link #close} cuts it short. */
    public static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** Pause before retrying after a broker or registry error, or while the topic does not exist yet. */
    public static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** How long {@link #close} waits for the thread, and the consumer's own close timeout within it. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Version reported for a record that could not be read. */
    public static final String UNKNOWN_VERSION = "unknown";

    /** Told of every applied and rejected release, on the updater's thread; must not block. */
    public interface Listener {
        /** {@code adapter} is live now. */
        void applied(LiveAdapter adapter);

        /**
         * A release was refused; the live adapter did not change.
         *
         * @param version the release's version, or {@value #UNKNOWN_VERSION} if it could not be read
         * @param reason  the {@link Reason#code()}, e.g. {@code bad_signature}
         */
        void rejected(String version, String reason);

        Listener NONE = new Listener() {
            @Override
            public void applied(LiveAdapter adapter) {}

            @Override
            public void rejected(String version, String reason) {}
        };
    }

    /** The latest refusal, for status pages and tests. */
    public record Rejection(String version, String reason, String message, Instant at) {}

    private final String topic;
    private final Deserializer<AdapterRelease> values;
    private final AdapterVerifier verifier;
    private final AdapterSlot slot;
    private final Listener listener;
    private final LiveReleaseFile liveFile;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private volatile Rejection lastRejection;
    /** End offsets at assignment: once the position reaches them, the releases published before start are read. */
    private Map<TopicPartition, Long> startEnd;

    /**
     * Creates the consumer (so a bad configuration fails here, not on the thread); {@link #start} starts reading.
     *
     * @param kafkaConfig consumer settings: at least {@code bootstrap.servers}, plus any security settings. The
     *                    updater sets its own deserializers, {@code isolation.level=read_committed},
     *                    {@code enable.auto.commit=false}, {@code auto.offset.reset=earliest} and
     *                    {@code allow.auto.create.topics=false}; no {@code group.id} is needed
     * @param topic       the adapters topic, {@link Topics#ADAPTERS} outside tests
     * @param values      reads a record value, e.g. {@code AvroSerde<AdapterRelease>.deserializer()}
     */
    public AdapterUpdater(Map<String, Object> kafkaConfig, String topic, Deserializer<AdapterRelease> values,
            AdapterVerifier verifier, AdapterSlot slot, Listener listener) {
        this(kafkaConfig, topic, values, verifier, slot, listener, null);
    }

    /**
     * As above, and every release made live is also written to {@code liveFile} (null: none), so that a restart
     * begins from it even if the topic has lost it ({@link LiveReleaseFile#restore}).
     */
    public AdapterUpdater(Map<String, Object> kafkaConfig, String topic, Deserializer<AdapterRelease> values,
            AdapterVerifier verifier, AdapterSlot slot, Listener listener, LiveReleaseFile liveFile) {
        this.liveFile = liveFile;
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the adapters topic is not set");
        }
        this.topic = topic;
        this.values = Objects.requireNonNull(values, "values");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.slot = Objects.requireNonNull(slot, "slot");
        this.listener = listener == null ? Listener.NONE : listener;
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        if (config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IllegalArgumentException("the adapter updater needs " + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        }
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-adapter-updater");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "vigil-adapter-updater");
        this.thread.setDaemon(true);
    }

    /** Starts the reading thread; returns this. */
    public AdapterUpdater start() {
        if (closed.get()) {
            throw new IllegalStateException("the adapter updater is closed");
        }
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
        return this;
    }

    /**
     * Waits until every release that was on the topic when the updater was assigned has been read (applied or
     * not), so a service can start scoring with the latest adapter. False if that did not happen within
     * {@code timeout} (the topic is missing or the broker unreachable); the updater keeps trying either way.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Releases made live since start. */
    public long appliedCount() {
        return applied.get();
    }

    /** Releases refused since start (unreadable records included). */
    public long rejectedCount() {
        return rejected.get();
    }

    /** Records passed over without a verdict: other base models, tombstones and the release already live. */
    public long ignoredCount() {
        return ignored.get();
    }

    public Optional<Rejection> lastRejection() {
        return Optional.ofNullable(lastRejection);
    }

    /** True while the reading thread runs. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Stops the thread and closes the consumer: waits at most {@link #CLOSE_TIMEOUT} for the thread, then interrupts
     * it. The slot keeps the adapter live at that moment.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping.countDown();
        if (!started.get()) {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            return;
        }
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            // the thread has already stopped and closed the consumer
        }
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
            if (thread.isAlive()) {
                log.warn("adapter updater thread did not stop within {}; interrupting it", CLOSE_TIMEOUT);
                thread.interrupt();
                thread.join(RETRY_BACKOFF.toMillis());
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    private boolean stopRequested() {
        return stopping.getCount() == 0;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            startEnd = awaitEndOffsets(partitions);
            if (startEnd == null) {
                return;
            }
            log.info("adapter updater reading {} {} from the beginning for base model {} (end offsets {})",
                    topic, partitions, verifier.baseModelHash(), startEnd);
            while (!stopRequested()) {
                pollOnce();
            }
        } catch (WakeupException | InterruptException e) {
            if (!stopRequested()) {
                log.error("adapter updater stopped unexpectedly: {}", e.toString());
            }
        } catch (RuntimeException e) {
            log.error("adapter updater stopped: the live adapter will not change until a restart", e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                log.warn("closing the adapter updater's consumer failed: {}", e.toString());
            }
            log.info("adapter updater stopped: {} applied, {} rejected, {} ignored; live adapter {}",
                    applied.get(), rejected.get(), ignored.get(), slot.get().version());
        }
    }

    /** The topic's partitions, waiting (with pauses) until the topic exists; empty if closed meanwhile. */
    private List<TopicPartition> awaitPartitions() {
        boolean told = false;
        while (!stopRequested()) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, POLL_TIMEOUT.multipliedBy(4));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
            } catch (TimeoutException e) {
                // broker not reachable yet: same as a missing topic, try again
            }
            if (!told) {
                log.info("adapter updater waiting for topic {} to exist", topic);
                told = true;
            }
            pause();
        }
        return List.of();
    }

    /** End offsets of {@code partitions}, asking again (with pauses) while the broker does not answer. */
    private Map<TopicPartition, Long> awaitEndOffsets(List<TopicPartition> partitions) {
        while (!stopRequested()) {
            try {
                return consumer.endOffsets(partitions, POLL_TIMEOUT.multipliedBy(4));
            } catch (TimeoutException e) {
                log.warn("adapter updater cannot get the end offsets of {} yet: {}", topic, e.getMessage());
                pause();
            }
        }
        return null;
    }

    private void pollOnce() {
        ConsumerRecords<String, byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("adapter updater poll failed, retrying in {}: {}", RETRY_BACKOFF, e.toString());
            pause();
            return;
        }
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!handle(record)) {
                    consumer.seek(partition, record.offset());
                    pause();
                    return;
                }
            }
        }
        checkCaughtUp();
    }

    /** Handles one record; false if it must be read again later (the registry could not be reached). */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        if (!verifier.baseModelHash().equals(ReleaseRecords.baseOf(record.key()))) {
            ignored.incrementAndGet();
            log.debug("skipping {}-{}@{}: release for base model {}", record.topic(), record.partition(),
                    record.offset(), ReleaseRecords.baseOf(record.key()));
            return true;
        }
        if (record.value() == null) {
            ignored.incrementAndGet();
            log.info("adapter release tombstone at {}-{}@{}: keeping adapter {} live", record.topic(),
                    record.partition(), record.offset(), slot.get().version());
            return true;
        }
        // the seal first: nothing in a record that a trusted key did not sign is decoded
        ReleaseRecords.Check seal = ReleaseRecords.check(
                record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), record.value(), record.headers(),
                verifier.trustedKeys());
        if (!seal.sealed()) {
            reject(record, new AdapterRejectedException(Reason.valueOf(seal.seal().name()), null, seal.message()));
            return true;
        }
        AdapterRelease release;
        try {
            release = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (SchemaRegistryException e) {
            if (e instanceof SchemaRegistryException.NotFound) {
                reject(record, new AdapterRejectedException(Reason.UNREADABLE, null, "record refers to a schema "
                        + "the registry does not have: " + e.getMessage(), e));
                return true;
            }
            log.warn("cannot read the adapter release at {}-{}@{}: schema registry: {}; retrying in {}",
                    record.topic(), record.partition(), record.offset(), e.getMessage(), RETRY_BACKOFF);
            return false;
        } catch (RuntimeException e) {
            reject(record, new AdapterRejectedException(Reason.UNREADABLE, null, "record is not a readable "
                    + "AdapterRelease: " + e.getMessage(), e));
            return true;
        }
        if (release == null) {
            ignored.incrementAndGet();
            return true;
        }
        LiveAdapter next;
        try {
            next = verifier.verify(release);
        } catch (AdapterRejectedException e) {
            if (e.reason() == Reason.ALREADY_LIVE) {
                ignored.incrementAndGet();
                log.info("{}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            } else {
                reject(record, e);
            }
            return true;
        } catch (RuntimeException e) {
            reject(record, new AdapterRejectedException(Reason.MALFORMED, release.getVersion(),
                    "adapter release " + release.getVersion() + " could not be checked: " + e, e));
            return true;
        }
        LiveAdapter previous = slot.swap(next);
        applied.incrementAndGet();
        if (liveFile != null) {
            liveFile.save(release);
        }
        log.info("adapter {} (sequence {}, from {}-{}@{}) is live, replacing {} (sequence {})", next.version(),
                next.sequence(), record.topic(), record.partition(), record.offset(), previous.version(),
                previous.sequence());
        try {
            listener.applied(next);
        } catch (RuntimeException e) {
            log.warn("adapter updater listener failed on applied({}): {}", next.version(), e.toString());
        }
        return true;
    }

    private void reject(ConsumerRecord<String, byte[]> record, AdapterRejectedException e) {
        String version = e.version() == null ? UNKNOWN_VERSION : e.version();
        String reason = e.reason().code();
        rejected.incrementAndGet();
        lastRejection = new Rejection(version, reason, e.getMessage(), Instant.now());
        log.warn("rejected adapter release at {}-{}@{}: {}: {}; adapter {} stays live", record.topic(),
                record.partition(), record.offset(), reason, e.getMessage(), slot.get().version());
        try {
            listener.rejected(version, reason);
        } catch (RuntimeException listenerFailure) {
            log.warn("adapter updater listener failed on rejected({}, {}): {}", version, reason,
                    listenerFailure.toString());
        }
    }

    private void checkCaughtUp() {
        if (caughtUp.getCount() == 0) {
            return;
        }
        try {
            for (Map.Entry<TopicPartition, Long> end : startEnd.entrySet()) {
                if (consumer.position(end.getKey(), POLL_TIMEOUT) < end.getValue()) {
                    return;
                }
            }
        } catch (TimeoutException e) {
            return; // asked again after the next poll
        }
        log.info("adapter updater caught up with {}: adapter {} (sequence {}) is live", topic, slot.get().version(),
                slot.get().sequence());
        caughtUp.countDown();
    }

    /** Sleeps {@link #RETRY_BACKOFF}, or less if {@link #close} is called. */
    private void pause() {
        try {
            stopping.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }
}
