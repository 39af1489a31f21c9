package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.schemas.SchemaHistory;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Round trips through a real Kafka broker and a real schema registry on loopback, checked against Confluent's own
 * registry client (7.5.3, relocated inside Flink's jar; it ships Avro relocated too, so its records are built apart).
 */
class AvroSerdeIT {

    private static LocalStack stack;
    private static SchemaRegistryClient registry;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        registry.checkReachable();
    }

    @Test
    void aTransactionProducedThroughTheBrokerAndRegistryIsReadBackEqual() {
        String topic = "it.transactions." + UUID.randomUUID();
        stack.createTopics(List.of(TopicSpec.of(topic, 2)));
        AvroSerde<Transaction> serde = new AvroSerde<>(Transaction.class, registry);
        List<Transaction> sent = List.of(transaction("t1", "card-1", 1234), transaction("t2", "card-2", 5));

        try (KafkaProducer<String, Transaction> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), serde.serializer())) {
            for (Transaction t : sent) {
                producer.send(new ProducerRecord<>(topic, t.getCardId(), t));
            }
            producer.flush();
        }

        List<Transaction> received = new ArrayList<>();
        try (KafkaConsumer<String, Transaction> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Transaction> r : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(r.key()).isEqualTo(r.value().getCardId());
                    received.add(r.value());
                }
            }
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void idsAndBytesAgreeWithConfluentsOwnClient() throws Exception {
        String topic = "it.agree." + UUID.randomUUID();
        String subject = AvroSerde.subject(topic);
        AvroSerde<Transaction> serde = new AvroSerde<>(Transaction.class, registry);
        Transaction record = transaction("t9", "card-9", 99_99);

        byte[] ours = serde.encode(topic, record);

        CachedSchemaRegistryClient confluent = new CachedSchemaRegistryClient(stack.schemaRegistryUrl(), 100);
        AvroSchema confluentSchema = new AvroSchema(Transaction.getClassSchema().toString());
        int confluentId = confluent.getId(subject, confluentSchema);
        int ourId = ByteBuffer.wrap(ours, 1, 4).getInt();
        assertThat(ourId).isEqualTo(confluentId);
        assertThat(registry.register(subject, Transaction.getClassSchema())).isEqualTo(confluentId);
        assertThat(confluent.getSchemaById(ourId).canonicalString()).isEqualTo(confluentSchema.canonicalString());

        // Confluent's KafkaAvroSerializer writes: 0x00, the id as 4 big-endian bytes, then the Avro binary body.
        // Build those bytes with Confluent's relocated Avro from the schema Confluent's client fetched.
        var shadedSchema = (org.apache.flink.avro.shaded.org.apache.avro.Schema) confluent.getSchemaById(ourId).rawSchema();
        var generic = new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericData.Record(shadedSchema);
        generic.put("transaction_id", record.getTransactionId());
        generic.put("event_time", record.getEventTime().toEpochMilli());
        generic.put("card_id", record.getCardId());
        generic.put("merchant_id", record.getMerchantId());
        generic.put("amount_minor", record.getAmountMinor());
        generic.put("currency", record.getCurrency());
        generic.put("merchant_category", record.getMerchantCategory());
        generic.put("country", record.getCountry());
        generic.put("channel", record.getChannel());
        generic.put("device_id", record.getDeviceId());
        generic.put("lat", record.getLat());
        generic.put("lon", record.getLon());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0);
        expected.write(ByteBuffer.allocate(4).putInt(confluentId).array());
        var encoder = org.apache.flink.avro.shaded.org.apache.avro.io.EncoderFactory.get().binaryEncoder(expected, null);
        new org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumWriter<Object>(shadedSchema)
                .write(generic, encoder);
        encoder.flush();

        assertThat(ours).isEqualTo(expected.toByteArray());
        assertThat(serde.decode(topic, expected.toByteArray())).isEqualTo(record);
    }

    @Test
    void recordsWrittenWithAnEarlierSchemaVersionAreReadWithTheCurrentClass() throws Exception {
        String topic = "it.evolution." + UUID.randomUUID();
        org.apache.avro.Schema v1 = SchemaHistory.versions(Topics.TRANSACTIONS).get(0);
        int v1Id = registry.register(AvroSerde.subject(topic), v1);

        GenericRecord old = new GenericData.Record(v1);
        old.put("transaction_id", "legacy-1");
        old.put("event_time", 1_767_225_600_000L);
        old.put("card_id", "c1");
        old.put("merchant_id", "m1");
        old.put("amount_minor", 250L);
        old.put("currency", "EUR");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(ByteBuffer.allocate(4).putInt(v1Id).array());
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        Transaction read = new AvroSerde<>(Transaction.class, registry).decode(topic, bytes.toByteArray());
        assertThat(read.getTransactionId()).isEqualTo("legacy-1");
        assertThat(read.getAmountMinor()).isEqualTo(250L);
        assertThat(read.getLat()).isNull();
        assertThat(read.getLon()).isNull();
    }

    @Test
    void aLabelRoundTripsWithItsEnumAndOptionalFields() {
        AvroSerde<FraudLabel> serde = new AvroSerde<>(FraudLabel.class, registry);
        FraudLabel label = FraudLabel.newBuilder().setTransactionId("t1").setCardId("c1").setIsFraud(true)
                .setSource(LabelSource.CHARGEBACK).setLabeledBy("issuer").setLabeledTime(Instant.ofEpochMilli(1_000))
                .setTransactionTime(Instant.ofEpochMilli(10)).setNote(null).build();
        String topic = "it.labels." + UUID.randomUUID();
        assertThat(serde.decode(topic, serde.encode(topic, label))).isEqualTo(label);
    }

    @Test
    void lengthFieldsThatClaimGigabytesAreRefusedBeforeAnythingIsAllocated() throws Exception {
        // a 13-byte transaction whose first string claims 2,000,000,000 bytes (an OutOfMemoryError without limits)
        String topic = "it.bomb." + UUID.randomUUID();
        AvroSerde<Transaction> transactions = new AvroSerde<>(Transaction.class, registry);
        int id = registry.register(AvroSerde.subject(topic), Transaction.getClassSchema());
        ByteArrayOutputStream bomb = header(id);
        varint(bomb, 2_000_000_000L);
        bomb.write('x');
        assertThat(bomb.size()).isLessThan(16);
        assertThatThrownBy(() -> transactions.decode(topic, bomb.toByteArray()))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("String length 2000000000 exceeds maximum allowed");

        // an adapter release whose tensor array claims 2 billion items, before any signature could be checked
        String adapters = "it.bomb.adapters." + UUID.randomUUID();
        int adapterId = registry.register(AvroSerde.subject(adapters), AdapterRelease.getClassSchema());
        ByteArrayOutputStream release = header(adapterId);
        varint(release, 1); // version: one character
        release.write('v');
        varint(release, 0); // parent_version: null
        varint(release, 1); // sequence
        varint(release, 1); // base_model_hash: one character
        release.write('h');
        varint(release, 0); // created_time
        varint(release, 1); // rank
        release.write(new byte[4]); // alpha
        varint(release, 2_000_000_000L); // tensors: the block count
        assertThatThrownBy(() -> new AvroSerde<>(AdapterRelease.class, registry).decode(adapters, release.toByteArray()))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("Collection length 2000000000 exceeds the maximum allowed");
    }

    private static ByteArrayOutputStream header(int schemaId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        return out;
    }

    /** Avro's zig-zag varint encoding of a long. */
    private static void varint(ByteArrayOutputStream out, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
    }

    @Test
    void anUnknownSchemaIdIsASerializationErrorNamingTheId() {
        byte[] bytes = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 'x'};
        assertThatThrownBy(() -> new AvroSerde<>(Transaction.class, registry).decode("t", bytes))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("2139062143");
    }

    @Test
    void anUnreachableRegistryIsAClearErrorWithinSecondsNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryClient unreachable = new SchemaRegistryClient("http://127.0.0.1:" + closedPort, Duration.ofSeconds(2));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(unreachable::checkReachable)
                        .isInstanceOf(SchemaRegistryException.class)
                        .hasMessageContaining("127.0.0.1:" + closedPort)
                        .hasMessageContaining("unreachable"));

        // A server that accepts the connection but never answers: the request timeout ends the wait.
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            SchemaRegistryClient hanging = new SchemaRegistryClient("http://127.0.0.1:" + silent.getLocalPort(),
                    Duration.ofSeconds(2));
            assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    assertThatThrownBy(hanging::checkReachable)
                            .isInstanceOf(SchemaRegistryException.class)
                            .hasMessageContaining("did not answer within 2000 ms"));
        }
    }

    private static Transaction transaction(String id, String card, long minor) {
        return Transaction.newBuilder()
                .setTransactionId(id).setEventTime(Instant.parse("2026-01-05T10:15:30.123Z")).setCardId(card)
                .setMerchantId("m-42").setAmountMinor(minor).setCurrency("EUR").setMerchantCategory("grocery")
                .setCountry("FR").setChannel("card_present").setDeviceId(null).setLat(48.85).setLon(2.35)
                .build();
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
}
