package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.Transaction;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.testkit.SeededModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that refuses every score (the scores topic's {@code max.message.bytes} below a score's size) leaves the
 * producer retrying and the transaction open while the input lag reads 0; {@code /health} must still say the stream
 * is not making progress.
 */
class RefusedOutputIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path state;

    @Test
    void scoresTheBrokerRefusesAreNotProgressAndHealthSaysSo() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        PipelineTopics t = new PipelineTopics(stack, 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, t.topics.scores()),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "300"),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
        ScoringApp.Config config = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        null, SeededModel.directory(), state)
                .withApplicationId("it-refused-" + UUID.randomUUID())
                .withTopics(t.topics)
                .withExtras(t.extras().withCaseIndexer(false));
        try (ScoringApp app = ScoringApp.create(config, PipelineMetrics.prometheus())) {
            app.stuckAfter(Duration.ofSeconds(5));
            app.start(WAIT);
            assertThat(app.health()).startsWith("UP");

            try (KafkaProducer<byte[], byte[]> producer = t.producer()) {
                for (Transaction tx : PipelineTopics.simulated(2, 100, 50, 3, 20)) {
                    producer.send(t.record(tx));
                }
            }
            String health = app.health();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!health.startsWith("DOWN") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                health = app.health();
            }

            String threadTotals = app.streams().metrics().values().stream()
                    .filter(m -> m.metricName().group().equals("stream-thread-metrics")
                            && m.metricName().name().endsWith("-total"))
                    .map(m -> m.metricName().name() + "=" + m.metricValue()).sorted().toList().toString();
            assertThat(health).as(threadTotals).startsWith("DOWN not making progress")
                    .contains("nothing committed for");
        }
    }
}
