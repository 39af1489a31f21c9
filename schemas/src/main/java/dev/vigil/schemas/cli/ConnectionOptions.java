package dev.vigil.schemas.cli;

import picocli.CommandLine.Option;

/**
 * Where Kafka and the schema registry are: the options every command that talks to them shares (a picocli mixin).
 * Defaults come from the environment ({@code VIGIL_BOOTSTRAP_SERVERS}, {@code VIGIL_SCHEMA_REGISTRY_URL}, as the
 * docker-compose deployment sets them), else the addresses `./vigil up` prints.
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

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schemaRegistry() {
        return schemaRegistry;
    }
}
