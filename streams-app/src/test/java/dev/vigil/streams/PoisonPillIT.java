package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.DeadLetters;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.testkit.SeededModel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records crafted to stop a scorer (each one stopped it for good, or killed a thread, before): a 540 KB card id, a
 * value of a million bytes that is not Avro, 13 bytes that claim a 2 GB string, and the values a payments team
 * refuses (amount 10^15, currency XXX, an event time in 1971, a zero amount), and transactions sent twice. Each becomes a
 * dead letter that fits in a Kafka record, with its reason and what was cut (a duplicate's names the first score); the
 * payments around them are scored once, and /health stays UP.
 */
class PoisonPillIT {

    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path state;

    @Test
    void noRecordStopsScoringAndEveryPoisonIsADeadLetterThatFits() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        PipelineTopics t = new PipelineTopics(stack, 1);
        List<Transaction> valid = PipelineTopics.simulated(2, 100, 50, 5, 60);
        Transaction sample = valid.get(0);
        String hugeCard = "c".repeat(540_000);
        Transaction hugeId = Transaction.newBuilder(sample).setTransactionId("huge-card").setCardId(hugeCard).build();
        Transaction amount = Transaction.newBuilder(sample).setTransactionId("huge-amount")
                .setAmountMinor(1_000_000_000_000_000L).build();
        Transaction zero = Transaction.newBuilder(sample).setTransactionId("zero-amount").setAmountMinor(0).build();
        Transaction xxx = Transaction.newBuilder(sample).setTransactionId("xxx").setCurrency("XXX").build();
        Transaction old = Transaction.newBuilder(sample).setTransactionId("1971")
                .setEventTime(Instant.parse("1971-01-01T00:00:00Z")).build();
        byte[] notAvro = new byte[1_000_000];
        Arrays.fill(notAvro, (byte) 'n');
        // a transaction whose first field (transaction_id) claims 2,000,000,000 bytes
        byte[] framed = t.transactions.encode(t.topics.transactions(), sample);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(framed, 0, 5);
        bomb.write(new byte[] {(byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e, 'x'}); // zig-zag 2e9, one byte

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < valid.size(); i++) {
                producer.send(t.record(valid.get(i)));
                if (i == 1) { // sent twice in a row: most likely in the same batch
                    producer.send(t.record(valid.get(i)));
                }
                if (i == valid.size() / 2) { // the poison in the middle: what comes after must be scored too
                    producer.send(t.record(hugeId)).get();
                    producer.send(t.raw(sample.getCardId(), notAvro)).get();
                    producer.send(t.raw(sample.getCardId(), bomb.toByteArray())).get();
                    for (Transaction bad : List.of(amount, zero, xxx, old)) {
                        producer.send(t.record(bad));
                    }
                }
            }
            producer.flush();
        }
        // and one sent again once it has surely been scored (its first score is read back before)
        String again = valid.get(3).getTransactionId();

        PipelineMetrics metrics = PipelineMetrics.prometheus();
        ScoringApp.Config config = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        stack.openSearchUrl(), SeededModel.directory(), state)
                .withApplicationId("it-poison-" + UUID.randomUUID())
                .withTopics(t.topics)
                .withExtras(t.extras())
                .withCaseIndex("it-cases-" + UUID.randomUUID());
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);
        AvroSerde<DeadLetter> letters = new AvroSerde<>(DeadLetter.class, t.registry);
        Set<String> expected = valid.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
        List<FraudScore> scored;
        List<DeadLetter> dead;
        String health;
        try (ScoringApp app = ScoringApp.create(config, metrics)) {
            app.start(WAIT);
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.stream().map(FraudScore::getTransactionId).collect(Collectors.toSet())
                            .containsAll(expected), WAIT);
            try (KafkaProducer<byte[], byte[]> producer = t.producer()) {
                producer.send(t.record(valid.get(3))).get();
            }
            dead = t.readCommitted(t.topics.dlq(), b -> letters.decode(t.topics.dlq(), b), read -> read.size() >= 9,
                    WAIT);
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() > expected.size(), Duration.ofSeconds(3));
            health = app.health();
        }

        assertThat(scored.stream().map(FraudScore::getTransactionId).collect(Collectors.toSet()))
                .as("the payments before and after the poison are scored, the poison is not").isEqualTo(expected);
        assertThat(health).startsWith("UP");
        assertThat(metrics.streamThreadFailures(Duration.ofMinutes(10))).as("no stream thread died").isZero();
        assertThat(scored).as("a duplicate gets no second score").hasSize(expected.size());
        assertThat(dead).hasSize(9);
        List<DeadLetter> duplicates = dead.stream().filter(d -> d.getStage().equals("duplicate")).toList();
        assertThat(duplicates).hasSize(2);
        assertThat(duplicates).anySatisfy(d -> assertThat(d.getErrorMessage())
                .contains("transaction " + valid.get(1).getTransactionId() + " was already scored"));
        assertThat(duplicates).anySatisfy(d -> assertThat(d.getErrorMessage())
                .contains("transaction " + again + " was already scored (first scored at ").contains("decision "));
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.getSourceTopic()).isEqualTo(t.topics.transactions());
            assertThat(d.getErrorMessage().length()).isLessThanOrEqualTo(DeadLetters.MAX_MESSAGE_CHARS);
            assertThat(d.getOriginalValue() == null ? 0 : d.getOriginalValue().remaining())
                    .isLessThanOrEqualTo(DeadLetters.MAX_VALUE_BYTES);
        });

        DeadLetter huge = only(dead, "card_id is 540000 characters");
        assertThat(huge.getStage()).isEqualTo("validate");
        assertThat(huge.getTruncated()).isTrue();
        assertThat(huge.getOriginalKeyLength()).isEqualTo(540_000);
        assertThat(huge.getOriginalKey().remaining()).isEqualTo(DeadLetters.MAX_KEY_BYTES);
        assertThat(huge.getOriginalValueLength()).isGreaterThan(540_000);

        DeadLetter big = only(dead, "magic byte");
        assertThat(big.getStage()).isEqualTo("deserialize");
        assertThat(big.getTruncated()).isTrue();
        assertThat(big.getOriginalValueLength()).isEqualTo(1_000_000);
        assertThat(new String(big.getOriginalKey().array(), StandardCharsets.UTF_8)).isEqualTo(sample.getCardId());

        DeadLetter lengthBomb = only(dead, "String length 2000000000 exceeds");
        assertThat(lengthBomb.getStage()).isEqualTo("deserialize");
        assertThat(lengthBomb.getTruncated()).isFalse();

        assertThat(only(dead, "amount 1000000000000000 minor units").getStage()).isEqualTo("validate");
        assertThat(only(dead, "amount 0 minor units").getStage()).isEqualTo("validate");
        assertThat(only(dead, "'XXX' is an ISO 4217 code but not money").getStage()).isEqualTo("validate");
        assertThat(only(dead, "is before 2000-01-01").getStage()).isEqualTo("validate");
    }

    private static DeadLetter only(List<DeadLetter> dead, String reason) {
        List<DeadLetter> matching = dead.stream().filter(d -> d.getErrorMessage().contains(reason)).toList();
        assertThat(matching).as("dead letters saying '%s' among %s", reason,
                dead.stream().map(d -> DeadLetters.cutText(d.getErrorMessage(), 120)).toList()).hasSize(1);
        return matching.get(0);
    }
}
