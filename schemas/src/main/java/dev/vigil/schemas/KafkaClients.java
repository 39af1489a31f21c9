package dev.vigil.schemas;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The settings every Kafka client of a cluster gets besides its own: security ({@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}) and whatever else the cluster needs, from a client properties file (the Kafka CLI
 * convention: {@code --kafka-config client.properties}). Every producer, consumer, admin and Kafka Streams
 * configuration in Vigil starts from {@link #properties} or {@link #config} of its bootstrap servers, then sets its own
 * keys: the file adds what connecting takes, it cannot change what a client does (isolation, transactions, acks).
 *
 * <p>Settings are kept per bootstrap servers string, so one process can talk to two clusters, and a test's secured
 * broker does not change the clients of the shared one. Secrets stay in the file: Kafka logs a client's configuration
 * with its passwords ({@code sasl.jaas.config}, {@code ssl.*.password}) hidden, and nothing here logs a value.
 */
public final class KafkaClients {

    /** Environment variable naming a client properties file, for commands not given {@code --kafka-config}. */
    public static final String ENV = "VIGIL_KAFKA_CONFIG";

    /** Keys a client properties file may not set: where to connect is the command's own option. */
    private static final Set<String> REFUSED = Set.of("bootstrap.servers");

    private static final Map<String, Map<String, Object>> BY_CLUSTER = new ConcurrentHashMap<>();

    private KafkaClients() {
    }

    /** Every client of {@code bootstrapServers} from now on gets {@code settings} (replacing any registered before). */
    public static void register(String bootstrapServers, Map<String, ?> settings) {
        for (String key : settings.keySet()) {
            if (REFUSED.contains(key)) {
                throw new IllegalArgumentException("a client properties file may not set " + key
                        + ": give --bootstrap-servers instead");
            }
        }
        BY_CLUSTER.put(bootstrapServers, Map.copyOf(settings));
    }

    /** Forgets the settings of {@code bootstrapServers} (tests). */
    public static void unregister(String bootstrapServers) {
        BY_CLUSTER.remove(bootstrapServers);
    }

    /** Registers the settings of a client properties file for {@code bootstrapServers}. */
    public static void register(String bootstrapServers, Path clientProperties) throws IOException {
        register(bootstrapServers, load(clientProperties));
    }

    /** A client properties file's settings (Java properties syntax). */
    public static Map<String, String> load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k.strip(), p.getProperty(k).strip()));
        return out;
    }

    /** {@code bootstrap.servers} and the registered settings of that cluster, as a new mutable map. */
    public static Map<String, Object> config(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>(BY_CLUSTER.getOrDefault(bootstrapServers, Map.of()));
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /** As {@link #config}, as Properties. */
    public static Properties properties(String bootstrapServers) {
        Properties p = new Properties();
        p.putAll(config(bootstrapServers));
        return p;
    }

    /** Whether settings are registered for {@code bootstrapServers}. */
    public static boolean secured(String bootstrapServers) {
        return BY_CLUSTER.containsKey(bootstrapServers);
    }
}
