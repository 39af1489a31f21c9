package dev.vigil.simulator.analysts;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.BatchedFetch;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The analyst team on real Kafka: reads {@code fraud.alerts}, lets a {@link ReviewDesk} choose what gets reviewed,
 * and publishes the true labels ({@link FraudTruth}) on {@code fraud.labels} as source ANALYST.
 *
 * <p>Restart safety: a crash at any point neither loses nor repeats a review, and the daily budget survives.
 * <ul>
 *   <li>Labels and consumer offsets are committed in one Kafka transaction (transactional producer,
 *       {@code sendOffsetsToTransaction}): either both the labels and the offset advance are visible, or neither.
 *       The transactional id is fixed per consumer group, so a restarted instance fences its predecessor and aborts
 *       whatever transaction it left open.</li>
 *   <li>The committed offset of a partition never passes an alert still held by an open day (it is the lowest held
 *       offset, or the position when nothing is held): after a restart the open days are rebuilt by reading their
 *       alerts again.</li>
 *   <li>The closed days (reviewed cards, labeled transactions: the spent budget) are rebuilt at start-up from the
 *       committed labels of this group on the labels topic, recognized by the record header {@value #GROUP_HEADER}.
 *       A closed day always has at least one label (closing a day with alerts reviews at least one card), so the
 *       labels say exactly which days are closed. Re-read alerts of a closed day then take the late path, which
 *       finds their transactions labeled or the budget spent, as before the crash.</li>
 * </ul>
 * One instance per group: the alerts topic's partitions are assigned, not subscribed, because the daily budget is one
 * budget across all partitions. Any failure to publish stops the simulator (its in-memory state is then ahead of
 * Kafka); starting it again resumes exactly.
 */
public final class AnalystSimulator implements AutoCloseable {

    public static final String GROUP_HEADER = "vigil.analysts.group";
    public static final String DAY_HEADER = "vigil.analysts.day";
    public static final String SCORE_HEADER = "vigil.analysts.card-max-score";

    /**
     * Kafka and timing settings.
     *
     * @param idleClose close every open day after this much wall time without an alert (ends the last day of a
     *                  replay); zero never
     * @param exitWhenIdle stop after an idle close, once everything is published
     */
    public record Settings(String bootstrapServers, String groupId, String alertsTopic, String labelsTopic,
            Duration idleClose, boolean exitWhenIdle, Duration pollTimeout, Duration restoreTimeout) {
        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(alertsTopic, "alertsTopic");
            Objects.requireNonNull(labelsTopic, "labelsTopic");
            if (idleClose.isNegative()) {
                throw new IllegalArgumentException("the idle close must not be negative: " + idleClose);
            }
        }
    }

    private final Settings settings;
    private final ReviewPolicy policy;
    private final FraudTruth truth;
    private final AvroSerde<FraudAlert> alertSerde;
    private final AvroSerde<FraudLabel> labelSerde;
    private final Consumer<String> log;
    private final ReviewDesk desk;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private volatile boolean stopping;
    private volatile boolean running;
    private volatile boolean started;
    private Map<TopicPartition, OffsetAndMetadata> lastCommitted = Map.of();
    private volatile long labelsPublished;
    private volatile long fraudLabeled;
    private volatile long badAlerts;
    private volatile long restoredLabels;
    private volatile long transactionsCommitted;
    /**
     * Runs inside each Kafka transaction just before its commit, with the number of labels in it; tests use it to
     * crash at the worst moment.
     */
    IntConsumer beforeCommit = labels -> { };

    public AnalystSimulator(Settings settings, ReviewPolicy policy, FraudTruth truth, AvroSerde<FraudAlert> alertSerde,
            AvroSerde<FraudLabel> labelSerde, Consumer<String> log) {
        this.settings = settings;
        this.policy = policy;
        this.truth = truth;
        this.alertSerde = alertSerde;
        this.labelSerde = labelSerde;
        this.log = log;
        this.desk = new ReviewDesk(policy);
        this.consumer = new KafkaConsumer<>(consumerConfig(settings), new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            this.producer = new KafkaProducer<>(producerConfig(settings), new StringSerializer(),
                    new ByteArraySerializer());
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    static Properties consumerConfig(Settings settings) {
        Properties config = new Properties();
        config.putAll(KafkaClients.config(settings.bootstrapServers()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-analysts-" + settings.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The scorer writes alerts in transactions: never review an alert that was rolled back.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return BatchedFetch.apply(config);
    }

    static Properties producerConfig(Settings settings) {
        Properties config = new Properties();
        config.putAll(KafkaClients.config(settings.bootstrapServers()));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-analysts-" + settings.groupId());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "vigil-analysts-" + settings.groupId());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        return config;
    }

    /** Runs until {@link #stop} (or, with exitWhenIdle, until the stream goes quiet); throws on any failure. */
    public void run() {
        if (started) {
            throw new IllegalStateException("an AnalystSimulator runs once; create a new one to start again");
        }
        started = true;
        running = true;
        try {
            // Fences an earlier instance of this group and aborts what it left open, before we read its labels.
            producer.initTransactions();
            restore();
            List<TopicPartition> partitions = partitionsOf(settings.alertsTopic());
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata at = committed.get(partition);
                if (at != null) {
                    consumer.seek(partition, at.offset());
                }
            }
            lastCommitted = new HashMap<>(committed);
            lastCommitted.values().removeIf(Objects::isNull);
            log.accept("reading " + settings.alertsTopic() + " from " + describe(committed) + " (group "
                    + settings.groupId() + ")");
            loop(partitions);
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            running = false;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void loop(List<TopicPartition> partitions) {
        long lastAlertAt = System.nanoTime();
        while (!stopping) {
            ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
            List<Review> reviews = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                FraudAlert alert;
                try {
                    alert = alertSerde.decode(record.topic(), record.value());
                } catch (RuntimeException e) {
                    badAlerts++;
                    log.accept("skipping unreadable alert at " + record.topic() + "-" + record.partition() + "@"
                            + record.offset() + ": " + e.getMessage());
                    continue;
                }
                if (alert == null) {
                    continue;
                }
                reviews.addAll(desk.offer(AlertTicket.of(alert, record.partition(), record.offset())));
            }
            if (!records.isEmpty()) {
                lastAlertAt = System.nanoTime();
            }
            reviews.addAll(desk.closeDueDays());
            boolean idle = !settings.idleClose().isZero()
                    && System.nanoTime() - lastAlertAt >= settings.idleClose().toNanos();
            if (idle && desk.hasOpenDays()) {
                log.accept("no alert for " + settings.idleClose().toSeconds() + " s: closing " + desk.openDays());
                reviews.addAll(desk.closeAllOpenDays());
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = committableOffsets(partitions);
            if (!reviews.isEmpty() || !offsets.equals(lastCommitted)) {
                publish(reviews, offsets);
            }
            if (settings.exitWhenIdle() && idle && !desk.hasOpenDays()) {
                log.accept("idle and nothing left open: stopping");
                return;
            }
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committableOffsets(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OptionalLong held = desk.lowestHeldOffset(partition.partition());
            offsets.put(partition, new OffsetAndMetadata(held.isPresent() ? held.getAsLong() : consumer.position(partition)));
        }
        return offsets;
    }

    private void publish(List<Review> reviews, Map<TopicPartition, OffsetAndMetadata> offsets) {
        long fraud = 0;
        producer.beginTransaction();
        try {
            for (Review review : reviews) {
                FraudLabel label = toLabel(review);
                fraud += label.getIsFraud() ? 1 : 0;
                RecordHeaders headers = new RecordHeaders();
                headers.add(GROUP_HEADER, settings.groupId().getBytes(StandardCharsets.UTF_8));
                headers.add(DAY_HEADER, review.day().toString().getBytes(StandardCharsets.UTF_8));
                headers.add(SCORE_HEADER, Double.toString(review.cardMaxScore()).getBytes(StandardCharsets.UTF_8));
                // Record timestamp: the producer's clock, as for every record Vigil writes; labeled_time is the event time.
                producer.send(new ProducerRecord<>(settings.labelsTopic(), null, null, label.getCardId(),
                        labelSerde.encode(settings.labelsTopic(), label), headers));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            beforeCommit.accept(reviews.size());
            producer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw new KafkaException("publishing " + reviews.size() + " analyst labels failed, nothing was committed; "
                    + "restart to resume from the last commit: " + e.getMessage(), e);
        }
        lastCommitted = offsets;
        labelsPublished += reviews.size();
        fraudLabeled += fraud;
        transactionsCommitted++;
        logClosedDays(reviews);
    }

    private void logClosedDays(List<Review> reviews) {
        Map<LocalDate, int[]> byDay = new TreeMap<>();
        for (Review review : reviews) {
            int[] counts = byDay.computeIfAbsent(review.day(), d -> new int[3]);
            counts[0]++;
            counts[1] += truth.isFraud(review.alert().transactionId()) ? 1 : 0;
            counts[2] += review.late() ? 1 : 0;
        }
        byDay.forEach((day, counts) -> log.accept(String.format(Locale.ROOT,
                "%s: %d labels (%d fraud, %d late), %d of %d cards reviewed", day, counts[0], counts[1], counts[2],
                desk.reviewedCards(day), policy.cardsPerDay())));
    }

    FraudLabel toLabel(Review review) {
        AlertTicket alert = review.alert();
        return FraudLabel.newBuilder()
                .setTransactionId(alert.transactionId())
                .setCardId(alert.cardId())
                .setIsFraud(truth.isFraud(alert.transactionId()))
                .setSource(LabelSource.ANALYST)
                .setLabeledBy(review.analystId())
                .setLabeledTime(review.labeledTime())
                .setTransactionTime(Instant.ofEpochMilli(alert.eventTimeMillis()))
                .setNote(String.format(Locale.ROOT, "review of card %s, rank %d on %s (card max score %.4f)%s",
                        alert.cardId(), review.rank(), review.day(), review.cardMaxScore(),
                        review.late() ? ", late alert" : ""))
                .build();
    }

    /** Rebuilds the closed days from this group's committed labels. */
    private void restore() {
        Properties config = consumerConfig(settings);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-analysts-restore-" + settings.groupId());
        byte[] group = settings.groupId().getBytes(StandardCharsets.UTF_8);
        long restored = 0;
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitionsOf(reader, settings.labelsTopic());
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            // With read_committed these are the last stable offsets: everything committed so far.
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            long deadline = System.nanoTime() + settings.restoreTimeout().toNanos();
            while (!caughtUp(reader, end)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("could not read " + settings.labelsTopic() + " to its end within "
                            + settings.restoreTimeout().toSeconds() + " s to restore the analysts' state");
                }
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    Header header = record.headers().lastHeader(GROUP_HEADER);
                    if (header == null || !Arrays.equals(header.value(), group)) {
                        continue;
                    }
                    FraudLabel label = labelSerde.decode(record.topic(), record.value());
                    Header day = record.headers().lastHeader(DAY_HEADER);
                    Header score = record.headers().lastHeader(SCORE_HEADER);
                    // The day header is the budget's day; transaction_time (the alert's event time) says the same.
                    LocalDate reviewDay = day != null
                            ? LocalDate.parse(new String(day.value(), StandardCharsets.UTF_8))
                            : LocalDate.ofInstant(label.getTransactionTime(), ZoneOffset.UTC);
                    desk.restore(reviewDay, label.getCardId(),
                            label.getTransactionId(),
                            score == null ? Double.NaN : Double.parseDouble(new String(score.value(), StandardCharsets.UTF_8)));
                    restored++;
                }
            }
        }
        restoredLabels = restored;
        if (restored > 0) {
            log.accept("restored " + restored + " labels of " + desk.closedDays() + " closed days from "
                    + settings.labelsTopic());
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> reader, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (reader.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> partitionsOf(String topic) {
        return partitionsOf(consumer, topic);
    }

    private List<TopicPartition> partitionsOf(KafkaConsumer<String, byte[]> client, String topic) {
        List<PartitionInfo> infos = client.partitionsFor(topic, Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            throw new KafkaException("topic " + topic + " does not exist; create it first (./vigil up)");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    private static String describe(Map<TopicPartition, OffsetAndMetadata> committed) {
        if (committed.values().stream().allMatch(Objects::isNull)) {
            return "the beginning";
        }
        StringBuilder text = new StringBuilder("committed offsets");
        committed.forEach((p, o) -> text.append(' ').append(p.partition()).append('@')
                .append(o == null ? "start" : Long.toString(o.offset())));
        return text.toString();
    }

    /** Asks {@link #run} to return after its current step; safe from any thread. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    public boolean isRunning() {
        return running;
    }

    /** The desk's state and counters; not thread-safe: read it once {@link #run} has returned. */
    public ReviewDesk desk() {
        return desk;
    }

    public long labelsPublished() {
        return labelsPublished;
    }

    public long fraudLabeled() {
        return fraudLabeled;
    }

    public long badAlerts() {
        return badAlerts;
    }

    public long restoredLabels() {
        return restoredLabels;
    }

    public long transactionsCommitted() {
        return transactionsCommitted;
    }

    /** Stops a running simulator; releases the Kafka clients of one that never ran. */
    @Override
    public void close() {
        stop();
        if (!started) {
            started = true;
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            producer.close(Duration.ZERO);
        }
    }
}
