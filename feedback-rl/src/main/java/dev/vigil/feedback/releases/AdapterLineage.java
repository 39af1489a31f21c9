package dev.vigil.feedback.releases;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.UnsignedRelease;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.serde.AvroSerde;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The line of adapter releases of one base model on {@code fraud.adapters}: which one is live (the parent of the next
 * update), which sequence comes next, and the transactional commit of a new release with the label offsets it
 * consumed. The release log is read at start, before the labels (its provenance says which labels are history); the
 * publisher, whose transactional id fences an older instance, opens once the loop has caught up.
 */
public final class AdapterLineage implements AutoCloseable {

    private static final Duration CATCH_UP = Duration.ofMinutes(2);

    private final String bootstrapServers;
    private final String topic;
    private final AvroSerde<AdapterRelease> serde;
    private final String gateTopic;
    private final AvroSerde<GateOutcome> gateSerde;
    private final List<PublicKey> trustedKeys;
    private final String baseHash;
    private final UnsignedRelease firstAdapter;
    private final String transactionalId;
    private final SigningKeyPair signer;
    private final String keyId;
    private ReleaseLog log;
    private ReleasePublisher publisher;

    /** The adapter an update starts from: the latest trusted release on the topic, else the model's first. */
    public record Parent(String version, long sequence, Adapter adapter) {}

    /**
     * @param trustedKeys     whose releases may be a parent
     * @param firstAdapter    the model's own adapter, the parent while no trusted release is on the topic
     * @param transactionalId also the consumer group the label offsets are committed for
     */
    public AdapterLineage(String bootstrapServers, String topic, AvroSerde<AdapterRelease> serde, String gateTopic,
            AvroSerde<GateOutcome> gateSerde, List<PublicKey> trustedKeys, String baseHash,
            UnsignedRelease firstAdapter, String transactionalId, SigningKeyPair signer) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.serde = serde;
        this.gateTopic = gateTopic;
        this.gateSerde = gateSerde;
        this.trustedKeys = trustedKeys;
        this.baseHash = baseHash;
        this.firstAdapter = firstAdapter;
        this.transactionalId = transactionalId;
        this.signer = signer;
        this.keyId = signer.keyId();
    }

    /** Reads the topic to its end: the live adapter and the highest sequence. */
    public void read() {
        log = new ReleaseLog(bootstrapServers, topic, serde, trustedKeys, false).catchUp(CATCH_UP);
    }

    /** The label offsets the live release's provenance records as consumed. */
    public Map<TopicPartition, Long> labelsThrough() {
        return Provenance.labelsThrough(log.latestVerified(baseHash).orElse(null));
    }

    /** Opens the transactional publisher (fencing an older instance of this loop). */
    public void startPublishing() {
        publisher = new ReleasePublisher(bootstrapServers, topic, gateTopic, transactionalId, serde, gateSerde,
                signer.privateKey(), keyId);
    }

    /** Reads what was committed on the topic since the last look. */
    public void catchUp() {
        log.catchUp(CATCH_UP);
    }

    public Parent parent() {
        return log.latestVerified(baseHash)
                .map(e -> new Parent(e.release().getVersion(), e.release().getSequence(),
                        Adapter.fromRelease(e.release())))
                .orElse(new Parent(firstAdapter.version(), firstAdapter.sequence(), firstAdapter.adapter()));
    }

    /**
     * The signed release of {@code candidate} as the next of the line: version = sequence = max(highest on the topic,
     * the parent's) + 1.
     */
    public AdapterRelease next(Parent parent, Adapter candidate, Map<String, Double> metrics, String note) {
        long sequence = Math.max(log.maxSequence(baseHash).orElse(0L), parent.sequence()) + 1;
        return new UnsignedRelease(candidate, Long.toString(sequence), parent.version(), sequence, baseHash,
                Instant.now(), metrics, note).signWith(signer.privateKey(), keyId);
    }

    /**
     * The gate's verdict (null: none), the release (null: none) and the consumed label offsets, in one transaction.
     */
    public void commit(GateOutcome verdict, AdapterRelease release, Map<TopicPartition, OffsetAndMetadata> offsets) {
        publisher.commit(verdict, release, offsets, new ConsumerGroupMetadata(transactionalId));
    }

    /** The base model hash of this line of releases. */
    public String baseHash() {
        return baseHash;
    }

    /** Closes the publisher, then the log, each even if the other fails. */
    @Override
    public void close() {
        ReleasePublisher openPublisher = publisher;
        ReleaseLog openLog = log;
        publisher = null;
        log = null;
        try {
            if (openPublisher != null) {
                openPublisher.close();
            }
        } finally {
            if (openLog != null) {
                openLog.close();
            }
        }
    }
}
