package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.SaslSslListener;
import dev.vigil.stack.Service;
import dev.vigil.stack.StackOptions;
import dev.vigil.stack.TopicSpec;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.ScoringTopology;
import dev.vigil.testkit.SeededModel;
import dev.vigil.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer against a broker that takes clients only over SASL_SSL (PLAIN over TLS; the certificate made here with
 * the JDK's keytool), its client settings from a client properties file as {@code --kafka-config} gives them: it
 * scores every payment, and clients without the file's settings (no TLS, or TLS with a wrong password) are refused.
 */
class SecuredKafkaIT {

    static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    @Test
    void theScorerWorksOverSaslSslAndAClientWithoutCredentialsIsRefused() throws Exception {
        Path log = Path.of("target", "test.log");
        long logFrom = Files.exists(log) ? Files.size(log) : 0;
        TestCertificates certificates = TestCertificates.in(dir);
        String storePassword = certificates.password();
        String userPassword = UUID.randomUUID().toString();
        Path keystore = certificates.keystore();
        Path truststore = certificates.truststore();

        String registryUrl = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY).schemaRegistryUrl();
        SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
        try (LocalStack secured = LocalStack.start(StackOptions.in(dir.resolve("stack")).withServices(Service.KAFKA)
                .withDeleteDataDirOnClose(true)
                .withSaslSsl(new SaslSslListener(keystore, storePassword, Map.of("vigil", userPassword))))) {
            String bootstrap = secured.saslSslBootstrapServers();
            String prefix = "it-sasl-" + UUID.randomUUID().toString().substring(0, 8) + ".";
            ScoringTopology.Topics topics = new ScoringTopology.Topics(prefix + "transactions", prefix + "scores",
                    prefix + "alerts", prefix + "dlq");
            secured.createTopics(List.of(TopicSpec.of(topics.transactions(), 2), TopicSpec.of(topics.scores(), 2),
                    TopicSpec.of(topics.alerts(), 1), TopicSpec.of(topics.dlq(), 1),
                    TopicSpec.compacted(prefix + "adapters", 1), TopicSpec.of(prefix + "labels", 1)));

            // the client properties file an operator writes: the secrets are in it, not on a command line
            Path clientProperties = dir.resolve("client.properties");
            Files.writeString(clientProperties, String.join("\n",
                    "security.protocol=SASL_SSL",
                    "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"vigil\" password=\"" + userPassword + "\";",
                    "ssl.truststore.location=" + truststore,
                    "ssl.truststore.password=" + storePassword,
                    "ssl.truststore.type=PKCS12"), StandardCharsets.UTF_8);
            KafkaClients.register(bootstrap, clientProperties);
            try {
                List<Transaction> payments = PipelineTopics.simulated(2, 100, 50, 3, 200);
                AvroSerde<Transaction> transactions = new AvroSerde<>(Transaction.class, registry, true);
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.properties(bootstrap),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (Transaction t : payments) {
                        producer.send(new ProducerRecord<>(topics.transactions(),
                                t.getCardId().getBytes(StandardCharsets.UTF_8),
                                transactions.encode(topics.transactions(), t)));
                    }
                    producer.flush();
                }
                Set<String> expected = payments.stream().map(Transaction::getTransactionId)
                        .collect(Collectors.toSet());
                ScoringApp.Config config = ScoringApp.Config.defaults(bootstrap, registryUrl, null,
                                SeededModel.directory(), dir.resolve("state"))
                        .withApplicationId("it-sasl-scorer-" + UUID.randomUUID())
                        .withTopics(topics)
                        .withExtras(ScoringApp.Extras.defaults().withTopics(prefix + "adapters", prefix + "labels")
                                .withCaseIndexer(false));
                AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, registry);
                Set<String> scored;
                try (ScoringApp app = ScoringApp.create(config, PipelineMetrics.prometheus())) {
                    app.start(WAIT);
                    scored = readScores(bootstrap, topics.scores(), scores, expected);
                }
                assertThat(scored).as("every payment scored over SASL_SSL").isEqualTo(expected);

                // no TLS, no credentials: the broker never answers such a client
                assertThatThrownBy(() -> describe(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
                        .isNotNull();
                // TLS, a wrong password: refused by the broker as such
                Map<String, Object> wrong = KafkaClients.config(bootstrap);
                wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"vigil\" password=\"not-the-password\";");
                assertThatThrownBy(() -> describe(wrong)).hasStackTraceContaining("Authentication failed");
                // and the file's settings do get in
                assertThat(describe(KafkaClients.config(bootstrap))).isPositive();
            } finally {
                KafkaClients.unregister(bootstrap);
            }
        }
        // no secret in any line the run logged
        String logged = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8)
                .substring((int) Math.min(logFrom, Files.size(log))) : "";
        assertThat(logged).doesNotContain(userPassword).doesNotContain(storePassword);
    }

    /** The number of brokers the cluster describes, within 10 s, or an exception. */
    private static int describe(Map<String, Object> config) throws Exception {
        Map<String, Object> c = new java.util.HashMap<>(config);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
        try (Admin admin = Admin.create(c)) {
            return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        }
    }

    private static Set<String> readScores(String bootstrap, String topic, AvroSerde<FraudScore> serde,
                                          Set<String> expected) {
        Map<String, Object> p = KafkaClients.config(bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Set<String> read = new java.util.HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!read.containsAll(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(serde.decode(topic, r.value()).getTransactionId());
                }
            }
        }
        return read;
    }
}
