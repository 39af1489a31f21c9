package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The whole stack, cold, in a fresh data directory: every server does its job, and close() leaves nothing behind. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    @TempDir
    static Path dataDir;

    static LocalStack stack;

    @BeforeAll
    static void startTheWholeStack() {
        stack = LocalStack.start(StackOptions.in(dataDir));
        System.out.printf("cold start of the whole stack: %d ms %s; memory %s%n", stack.startupTime().toMillis(),
                stack.startupTimes(), stack.memory());
    }

    @AfterAll
    static void stopIfATestFailedEarly() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void startsEveryServiceOnLoopback() {
        assertThat(stack.services()).containsExactlyInAnyOrder(Service.values());
        assertThat(stack.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(stack.schemaRegistryUrl()).matches("http://127\\.0\\.0\\.1:\\d+/api/v1/confluent");
        assertThat(stack.openSearchUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(stack.childProcesses()).hasSize(2).allMatch(ProcessHandle::isAlive);
    }

    @Test
    @Order(2)
    void producesAndConsumesARecordThroughTheBroker() {
        String topic = "it.roundtrip." + UUID.randomUUID();
        stack.createTopics(List.of(TopicSpec.of(topic, 3)));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            producer.send(new ProducerRecord<>(topic, "card-42", "payment 12.50 EUR")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<ConsumerRecord<String, String>> received = consumeAll(topic, "it-group-" + UUID.randomUUID(), 1);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("card-42");
            assertThat(r.value()).isEqualTo("payment 12.50 EUR");
        });
    }

    @Test
    @Order(3)
    void commitsATransactionOnTheSingleNode() throws Exception {
        // exactly_once_v2 in Kafka Streams needs the transaction state topic, with replication factor 1 here.
        String topic = "it.tx." + UUID.randomUUID();
        stack.createTopics(List.of(TopicSpec.of(topic, 1)));
        Properties config = producerConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }
        assertThat(consumeAll(topic, "it-tx-group-" + UUID.randomUUID(), 1)).extracting(ConsumerRecord::value)
                .containsExactly("committed");
    }

    @Test
    @Order(4)
    void createsTopicsWithTheirPartitionsAndCompactionAndIsIdempotent() throws Exception {
        String plain = "it.plain." + UUID.randomUUID();
        String compacted = "it.compacted." + UUID.randomUUID();
        List<TopicSpec> topics = List.of(TopicSpec.of(plain, 6), TopicSpec.compacted(compacted, 2));

        assertThat(stack.createTopics(topics)).containsExactly(plain, compacted);
        assertThat(stack.createTopics(topics)).as("second call: both exist").isEmpty();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(plain, compacted)).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(described.get(plain).partitions()).hasSize(6);
            assertThat(described.get(compacted).partitions()).hasSize(2);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, plain),
                    new ConfigResource(ConfigResource.Type.TOPIC, compacted))).all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, plain)).get("cleanup.policy").value())
                    .isEqualTo("delete");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, compacted)).get("cleanup.policy").value())
                    .isEqualTo("compact");
        }
    }

    @Test
    @Order(5)
    void registersASchemaAndFetchesItByIdThroughTheConfluentApi() {
        String subject = "it-" + UUID.randomUUID() + "-value";
        String schema = "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"dev.vigil.it\",\"fields\":"
                + "[{\"name\":\"card_id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"double\"}]}";
        String body = Http.JSON.createObjectNode().put("schema", schema).toString();

        Http.Response registered = Http.post(stack.schemaRegistryUrl() + "/subjects/" + subject + "/versions", body,
                "application/vnd.schemaregistry.v1+json");
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        int id = registered.json().get("id").asInt();

        Http.Response byId = Http.get(stack.schemaRegistryUrl() + "/schemas/ids/" + id);
        assertThat(byId.status()).as(byId.body()).isEqualTo(200);
        JsonNode fetched = parse(byId.json().get("schema").asText());
        assertThat((Object) fetched).isEqualTo(parse(schema));

        Http.Response latest = Http.get(stack.schemaRegistryUrl() + "/subjects/" + subject + "/versions/latest");
        assertThat(latest.json().get("id").asInt()).isEqualTo(id);
        assertThat(Http.get(stack.schemaRegistryUrl() + "/subjects").body()).contains(subject);
    }

    @Test
    @Order(6)
    void indexesVectorsAndAnswersKnnQueriesWithAndWithoutAFilter() {
        String index = "it-cases-" + UUID.randomUUID();
        String url = stack.openSearchUrl() + "/" + index;
        Http.Response created = Http.put(url, """
                {"settings": {"index": {"knn": true, "number_of_shards": 1, "number_of_replicas": 0}},
                 "mappings": {"properties": {
                   "embedding": {"type": "knn_vector", "dimension": 3,
                                 "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"}},
                   "label": {"type": "keyword"}}}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(200);

        String bulk = """
                {"index": {"_id": "fraud-near"}}
                {"embedding": [1.0, 0.0, 0.0], "label": "fraud"}
                {"index": {"_id": "legit-near"}}
                {"embedding": [0.9, 0.1, 0.0], "label": "legit"}
                {"index": {"_id": "fraud-far"}}
                {"embedding": [0.0, 0.0, 1.0], "label": "fraud"}
                """;
        Http.Response indexed = Http.post(url + "/_bulk?refresh=true", bulk, "application/x-ndjson");
        assertThat(indexed.status()).as(indexed.body()).isEqualTo(200);
        assertThat(indexed.json().get("errors").asBoolean()).as(indexed.body()).isFalse();

        Http.Response nearest = Http.post(url + "/_search", """
                {"size": 2, "query": {"knn": {"embedding": {"vector": [1.0, 0.0, 0.0], "k": 2}}}}""",
                "application/json");
        assertThat(ids(nearest)).containsExactly("fraud-near", "legit-near");

        Http.Response nearestFraud = Http.post(url + "/_search", """
                {"size": 2, "query": {"knn": {"embedding": {"vector": [1.0, 0.0, 0.0], "k": 2,
                  "filter": {"term": {"label": "fraud"}}}}}}""", "application/json");
        assertThat(ids(nearestFraud)).containsExactly("fraud-near", "fraud-far");
    }

    @Test
    @Order(7)
    void writesChildOutputToLogFilesInTheDataDir() throws Exception {
        Path registryLog = stack.logFile(Service.SCHEMA_REGISTRY).orElseThrow();
        Path openSearchLog = stack.logFile(Service.OPENSEARCH).orElseThrow();
        assertThat(registryLog).startsWith(dataDir).exists();
        assertThat(openSearchLog).startsWith(dataDir).exists();
        assertThat(Files.readString(openSearchLog, StandardCharsets.UTF_8)).contains("loaded plugin [org.opensearch.knn.plugin.KNNPlugin]");
        assertThat(stack.logFile(Service.KAFKA)).isEmpty();
        assertThat(stack.memory()).hasSize(3).allMatch(m -> m.rssBytes() > 0);
    }

    @Test
    @Order(100)
    void closeStopsEveryChildProcess() {
        List<ProcessHandle> children = stack.childProcesses();
        assertThat(children).hasSize(2).allMatch(ProcessHandle::isAlive);

        Instant begin = Instant.now();
        stack.close();
        System.out.printf("close() took %d ms%n", Duration.between(begin, Instant.now()).toMillis());

        assertThat(children).noneMatch(ProcessHandle::isAlive);
        // Other tests in this JVM may run the shared stack; none of our descendants may belong to this data dir.
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().arguments().stream().flatMap(java.util.Arrays::stream)))
                .noneMatch(argument -> argument.contains(dataDir.toString()));
        stack.close(); // a second close is harmless
        stack = null;
    }

    private static List<String> ids(Http.Response search) {
        assertThat(search.status()).as(search.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        search.json().get("hits").get("hits").forEach(hit -> ids.add(hit.get("_id").asText()));
        return ids;
    }

    private static JsonNode parse(String json) {
        try {
            return Http.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    static List<ConsumerRecord<String, String>> consumeAll(String topic, String groupId, int expected) {
        return consumeAll(stack.bootstrapServers(), topic, groupId, expected);
    }

    static List<ConsumerRecord<String, String>> consumeAll(String bootstrap, String topic, String groupId, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(Set.of(topic));
            Instant deadline = Instant.now().plusSeconds(30);
            while (received.size() < expected && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        return received;
    }
}
