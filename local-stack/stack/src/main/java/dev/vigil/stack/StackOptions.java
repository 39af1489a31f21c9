package dev.vigil.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * How to run a {@link LocalStack}. Start from {@link #in(Path)} and change what you need with the {@code with...}
 * methods; every value is validated here, with a message naming the option.
 *
 * @param dataDir where every server keeps its data and child JVMs write their logs ({@code logs/}); reused across runs
 * @param wipe delete the data directory first (only if it is a stack data directory or empty)
 * @param deleteDataDirOnClose delete the data directory after {@link LocalStack#close()} (temporary stacks)
 * @param services which servers to start
 * @param kafkaPort broker port on 127.0.0.1; 0 picks a free port
 * @param registryPort schema registry port; 0 picks a free port
 * @param openSearchPort OpenSearch HTTP port; 0 picks a free port
 * @param openSearchTransportPort OpenSearch transport port (nobody connects to it here); 0 picks a free port
 * @param openSearchHeapMb OpenSearch child JVM heap (-Xmx)
 * @param startTimeout how long each server may take to become healthy
 * @param brokerLogLevel level for the in-process broker's loggers (Log4j2 only); null leaves logging as configured
 * @param childJava the java executable for child JVMs
 * @param saslSsl a second, SASL_SSL listener on the broker (null: plaintext only)
 */
public record StackOptions(
        Path dataDir,
        boolean wipe,
        boolean deleteDataDirOnClose,
        Set<Service> services,
        int kafkaPort,
        int registryPort,
        int openSearchPort,
        int openSearchTransportPort,
        int openSearchHeapMb,
        Duration startTimeout,
        String brokerLogLevel,
        Path childJava,
        SaslSslListener saslSsl) {

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    public static final int DEFAULT_OPENSEARCH_HEAP_MB = 1024;

    public StackOptions {
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir must be set");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        if (services == null || services.isEmpty()) {
            throw new IllegalArgumentException("services: name at least one of " + Arrays.toString(Service.values()));
        }
        services = Set.copyOf(services);
        checkPort("kafkaPort", kafkaPort);
        checkPort("registryPort", registryPort);
        checkPort("openSearchPort", openSearchPort);
        checkPort("openSearchTransportPort", openSearchTransportPort);
        if (openSearchHeapMb < 256) {
            throw new IllegalArgumentException("openSearchHeapMb must be at least 256, got " + openSearchHeapMb);
        }
        if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
        }
        if (childJava == null) {
            throw new IllegalArgumentException("childJava must be set");
        }
    }

    /** All three servers on free ports, data in {@code dataDir} (kept), the child JVMs on this JVM's java. */
    public static StackOptions in(Path dataDir) {
        return new StackOptions(dataDir, false, false, EnumSet.allOf(Service.class), 0, 0, 0, 0,
                DEFAULT_OPENSEARCH_HEAP_MB, DEFAULT_START_TIMEOUT, "WARN", thisJava(), null);
    }

    public StackOptions withServices(Service first, Service... more) {
        return withServices(EnumSet.of(first, more));
    }

    public StackOptions withServices(Set<Service> services) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, startTimeout, brokerLogLevel, childJava, saslSsl);
    }

    public StackOptions withWipe(boolean wipe) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, startTimeout, brokerLogLevel, childJava, saslSsl);
    }

    public StackOptions withDeleteDataDirOnClose(boolean delete) {
        return new StackOptions(dataDir, wipe, delete, services, kafkaPort, registryPort, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, startTimeout, brokerLogLevel, childJava, saslSsl);
    }

    public StackOptions withSaslSsl(SaslSslListener listener) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, startTimeout, brokerLogLevel, childJava, listener);
    }

    public StackOptions withKafkaPort(int port) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, port, registryPort, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, startTimeout, brokerLogLevel, childJava, saslSsl);
    }

    public StackOptions withRegistryPort(int port) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, port, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, startTimeout, brokerLogLevel, childJava, saslSsl);
    }

    public StackOptions withOpenSearchPort(int port) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, port,
                openSearchTransportPort, openSearchHeapMb, startTimeout, brokerLogLevel, childJava, saslSsl);
    }

    public StackOptions withOpenSearchTransportPort(int port) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, openSearchPort,
                port, openSearchHeapMb, startTimeout, brokerLogLevel, childJava, saslSsl);
    }

    public StackOptions withOpenSearchHeapMb(int heapMb) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, openSearchPort,
                openSearchTransportPort, heapMb, startTimeout, brokerLogLevel, childJava, saslSsl);
    }

    public StackOptions withStartTimeout(Duration timeout) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, timeout, brokerLogLevel, childJava, saslSsl);
    }

    /** "WARN" (the default) keeps the in-process broker quiet; null leaves its loggers as the application configured them. */
    public StackOptions withBrokerLogLevel(String level) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, startTimeout, level, childJava, saslSsl);
    }

    public StackOptions withChildJava(Path java) {
        return new StackOptions(dataDir, wipe, deleteDataDirOnClose, services, kafkaPort, registryPort, openSearchPort,
                openSearchTransportPort, openSearchHeapMb, startTimeout, brokerLogLevel, java, saslSsl);
    }

    /** The port asked for a service (0 = any free port). */
    public int port(Service service) {
        return switch (service) {
            case KAFKA -> kafkaPort;
            case SCHEMA_REGISTRY -> registryPort;
            case OPENSEARCH -> openSearchPort;
        };
    }

    static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 (any free port) and 65535, got " + port);
        }
    }
}
