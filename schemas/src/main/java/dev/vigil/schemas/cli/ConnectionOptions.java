package dev.vigil.schemas.cli;

import dev.vigil.schemas.HttpAccess;
import dev.vigil.schemas.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where Kafka and the schema registry are: the options every command that talks to them shares (a picocli mixin).
 * Defaults come from the environment ({@code VIGIL_BOOTSTRAP_SERVERS}, {@code VIGIL_SCHEMA_REGISTRY_URL}, as the
 * docker-compose deployment sets them), else the addresses `./vigil up` prints. {@code --kafka-config} (or
 * {@value KafkaClients#ENV}) names a client properties file merged into every Kafka client of the command
 * ({@link KafkaClients}): how a secured cluster is reached, its secrets kept in the file, never on the command line.
 */
public final class ConnectionOptions {

    public static final String LOCAL_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String LOCAL_SCHEMA_REGISTRY = "http://localhost:8081/api/v1/confluent";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            defaultValue = "${env:VIGIL_BOOTSTRAP_SERVERS:-" + LOCAL_BOOTSTRAP_SERVERS + "}",
            description = "Kafka bootstrap servers (env VIGIL_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL",
            defaultValue = "${env:VIGIL_SCHEMA_REGISTRY_URL:-" + LOCAL_SCHEMA_REGISTRY + "}",
            description = "Confluent-API schema registry URL (env VIGIL_SCHEMA_REGISTRY_URL). Default: ${DEFAULT-VALUE}.")
    String schemaRegistry;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            defaultValue = "${env:" + KafkaClients.ENV + "}",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*) merged into every producer, "
                    + "consumer, admin and Streams client (env " + KafkaClients.ENV + ").")
    Path kafkaConfig;

    @Option(names = "--schema-registry-config", paramLabel = "FILE",
            defaultValue = "${env:VIGIL_SCHEMA_REGISTRY_CONFIG}",
            description = "The registry's basic.auth.user.info and ssl.truststore.* (env VIGIL_SCHEMA_REGISTRY_CONFIG).")
    Path schemaRegistryConfig;

    private boolean registered;
    private boolean registryRegistered;

    /** The bootstrap servers, with the {@code --kafka-config} settings registered for them on first use. */
    public synchronized String bootstrapServers() {
        if (!registered && kafkaConfig != null) {
            try {
                KafkaClients.register(bootstrapServers, kafkaConfig);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage(), e);
            }
        }
        registered = true;
        return bootstrapServers;
    }

    /** The registry URL, with the {@code --schema-registry-config} access registered for it on first use. */
    public synchronized String schemaRegistry() {
        if (!registryRegistered && schemaRegistryConfig != null) {
            try {
                HttpAccess.register(schemaRegistry, HttpAccess.load(schemaRegistryConfig));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --schema-registry-config " + schemaRegistryConfig + ": "
                        + e.getMessage(), e);
            }
        }
        registryRegistered = true;
        return schemaRegistry;
    }
}
