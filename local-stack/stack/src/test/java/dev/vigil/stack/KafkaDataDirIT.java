package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory is reused across runs unless wiped, and only one stack at a time may use it. Kafka only. */
class KafkaDataDirIT {

    private static final TopicSpec TOPIC = TopicSpec.of("it.kept", 2);

    @TempDir
    Path tmp;

    @Test
    void aReusedDataDirKeepsTopicsAndRecordsAndAWipedOneStartsEmpty() throws Exception {
        StackOptions options = StackOptions.in(tmp.resolve("stack")).withServices(Service.KAFKA);

        try (LocalStack first = LocalStack.start(options)) {
            System.out.printf("kafka alone, cold, empty data dir: %d ms%n", first.startupTime().toMillis());
            assertThat(first.createTopics(List.of(TOPIC))).containsExactly(TOPIC.name());
            produce(first.bootstrapServers(), "card-1", "kept across restarts");
        }

        try (LocalStack second = LocalStack.start(options)) {
            assertThat(second.dataReused()).isTrue();
            System.out.printf("kafka alone, reused data dir: %d ms%n", second.startupTime().toMillis());
            assertThat(second.createTopics(List.of(TOPIC))).as("the topic is still there").isEmpty();
            assertThat(LocalStackIT.consumeAll(second.bootstrapServers(), TOPIC.name(), "it-reuse", 1))
                    .extracting(ConsumerRecord::value).containsExactly("kept across restarts");
        }

        try (LocalStack wiped = LocalStack.start(options.withWipe(true))) {
            assertThat(wiped.dataReused()).isFalse();
            assertThat(topics(wiped)).doesNotContain(TOPIC.name());
            assertThat(wiped.createTopics(List.of(TOPIC))).containsExactly(TOPIC.name());
        }
    }

    @Test
    void aRestartedBrokerComesBackOnTheSamePortWithItsRecords() throws Exception {
        try (LocalStack stack = LocalStack.start(StackOptions.in(tmp.resolve("restart")).withServices(Service.KAFKA))) {
            String bootstrap = stack.bootstrapServers();
            stack.createTopics(List.of(TOPIC));
            produce(bootstrap, "card-1", "before the restart");

            stack.restart(Service.KAFKA);

            assertThat(stack.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(stack.pid(Service.KAFKA)).as("the broker runs in this JVM").isEmpty();
            produce(bootstrap, "card-1", "after the restart");
            assertThat(LocalStackIT.consumeAll(bootstrap, TOPIC.name(), "it-restart", 2))
                    .extracting(ConsumerRecord::value).containsExactly("before the restart", "after the restart");
        }
    }

    @Test
    void aSecondStackOnARunningDataDirFailsWithoutDisturbingTheFirst() throws Exception {
        StackOptions options = StackOptions.in(tmp.resolve("stack")).withServices(Service.KAFKA);
        try (LocalStack running = LocalStack.start(options)) {
            assertThatThrownBy(() -> LocalStack.start(options)).isInstanceOf(StackStartException.class)
                    .hasMessageContaining("is in use by another running stack");
            assertThat(running.createTopics(List.of(TopicSpec.of("it.still-works", 1)))).hasSize(1);
        }
    }

    @Test
    void aTakenKafkaPortFailsBeforeAnythingStarts() throws Exception {
        try (LocalStack running = LocalStack.start(StackOptions.in(tmp.resolve("a")).withServices(Service.KAFKA))) {
            int taken = Integer.parseInt(running.bootstrapServers().split(":")[1]);
            assertThatThrownBy(() -> LocalStack.start(StackOptions.in(tmp.resolve("b")).withServices(Service.KAFKA)
                    .withKafkaPort(taken)))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("port " + taken + " for kafka is already in use");
        }
    }

    private static void produce(String bootstrap, String key, String value) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(TOPIC.name(), key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static Set<String> topics(LocalStack stack) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
