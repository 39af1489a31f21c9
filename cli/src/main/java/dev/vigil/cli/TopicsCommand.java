package dev.vigil.cli;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.cli.ConnectionOptions;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Creates Vigil's topics on an existing cluster and registers their value schemas: the set-up step of a deployment
 * (docker-compose runs it once). Idempotent: existing topics and schemas are left as they are.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create Vigil's topics (and register their value schemas) on an existing Kafka cluster.")
public final class TopicsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--no-schemas", description = "Only create the topics; do not register the value schemas.")
    boolean noSchemas;

    @Option(names = "--replication-factor", defaultValue = "1", description = "Replication factor (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--timeout", defaultValue = "PT30S", description = "How long to wait for the cluster (ISO-8601 duration).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Properties props = new Properties();
        props.putAll(KafkaClients.config(connection.bootstrapServers()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 15_000));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing;
            try {
                existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                System.err.println("vigil topics: Kafka at " + connection.bootstrapServers() + " did not answer within "
                        + timeout.toSeconds() + " s: " + e.getMessage());
                return 1;
            }
            for (Topics.Spec spec : Topics.ALL) {
                if (existing.contains(spec.name())) {
                    System.out.printf("topic %-22s exists%n", spec.name());
                    continue;
                }
                NewTopic topic = new NewTopic(spec.name(), spec.partitions(), replicationFactor);
                if (spec.compacted()) {
                    topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                try {
                    admin.createTopics(Set.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    System.out.printf("topic %-22s created (%d partitions%s)%n", spec.name(), spec.partitions(),
                            spec.compacted() ? ", compacted" : "");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        if (!noSchemas) {
            SchemaRegistryClient registry = new SchemaRegistryClient(connection.schemaRegistry());
            registry.checkReachable();
            for (Topics.Spec spec : Topics.ALL) {
                int id = registry.register(spec.subject(), spec.valueSchema());
                System.out.printf("schema %-28s id %d%n", spec.subject(), id);
            }
        }
        return 0;
    }
}
