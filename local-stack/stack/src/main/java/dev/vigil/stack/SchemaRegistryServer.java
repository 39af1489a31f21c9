package dev.vigil.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Hortonworks Schema Registry 0.9.1 in a child JVM, in-memory storage, serving the Confluent REST API at
 * {@code /api/v1/confluent} (and, through its rewrite filter, {@code /subjects} and {@code /schemas/ids} at the root).
 *
 * <p>Storage is in memory: schemas, and the ids the Confluent wire format carries, do not survive a restart.
 */
final class SchemaRegistryServer extends ChildJvmServer {

    static final String CLASSPATH_RESOURCE = "META-INF/vigil/registry-runtime.classpath";
    static final String MAIN_CLASS = "com.hortonworks.registries.webservice.RegistryApplication";
    static final String CONFLUENT_PATH = "/api/v1/confluent";

    private final Path dir;
    private final int port;

    SchemaRegistryServer(Path dir, Path logFile, int port, Path java) {
        super(Service.SCHEMA_REGISTRY, java, logFile);
        this.dir = dir;
        this.port = port;
    }

    @Override
    public LocalServer again() {
        return new SchemaRegistryServer(dir, logFile(), port, java());
    }

    /** The base URL of the Confluent-compatible API, e.g. http://127.0.0.1:8081/api/v1/confluent. */
    String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_PATH;
    }

    int port() {
        return port;
    }

    @Override
    void prepare() throws IOException {
        Files.createDirectories(dir.resolve("jars"));
        Files.writeString(configFile(), config(port, dir.resolve("jars")));
    }

    @Override
    List<String> jvmOptions() {
        // A small, short-lived web app: a small heap, the serial collector and C1 only start it fastest on 2 cores.
        return List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8");
    }

    @Override
    List<Path> classpath() {
        return RuntimeClasspath.load(CLASSPATH_RESOURCE);
    }

    @Override
    String mainClass() {
        return MAIN_CLASS;
    }

    @Override
    List<String> arguments() {
        return List.of("server", configFile().toString());
    }

    @Override
    Path argFile() {
        return dir.resolve("jvm.args");
    }

    @Override
    boolean isHealthy() {
        return HttpProbe.get(URI.create(url() + "/subjects")).map(a -> a.status() == 200).orElse(false);
    }

    @Override
    String healthCheck() {
        return "GET " + url() + "/subjects never answered 200";
    }

    private Path configFile() {
        return dir.resolve("registry.yaml");
    }

    /** The registry's Dropwizard configuration: schema-registry module, in-memory storage, one HTTP connector on loopback. */
    static String config(int port, Path jarStorage) {
        return """
                # Written by the Vigil local stack on every start; edits are overwritten.
                modules:
                  - name: schema-registry
                    className: com.hortonworks.registries.schemaregistry.webservice.SchemaRegistryModule
                    config:
                      schemaProviders:
                        - providerClass: "com.hortonworks.registries.schemaregistry.avro.AvroSchemaProvider"
                          defaultSerializerClass: "com.hortonworks.registries.schemaregistry.serdes.avro.AvroSnapshotSerializer"
                          defaultDeserializerClass: "com.hortonworks.registries.schemaregistry.serdes.avro.AvroSnapshotDeserializer"
                      schemaCacheSize: 10000
                      schemaCacheExpiryInterval: 3600
                servletFilters:
                  - className: "com.hortonworks.registries.schemaregistry.webservice.RewriteUriFilter"
                    params:
                      forwardPaths: "/api/v1/confluent,/subjects/*,/schemas/ids/*"
                      redirectPaths: "/ui/,/"
                fileStorageConfiguration:
                  className: "com.hortonworks.registries.common.util.LocalFileSystemStorage"
                  properties:
                    directory: "%s"
                storageProviderConfiguration:
                  providerClass: "com.hortonworks.registries.storage.impl.memory.InMemoryStorageManager"
                swagger:
                  resourcePackage: com.hortonworks.registries.schemaregistry.webservice
                enableCors: false
                server:
                  applicationConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  adminConnectors: []
                  requestLog:
                    appenders: []
                logging:
                  level: INFO
                  loggers:
                    org.eclipse.jetty: WARN
                    org.glassfish.jersey: WARN
                """.formatted(jarStorage.toAbsolutePath().toString().replace("\\", "/").replace("\"", "\\\""), port);
    }
}
