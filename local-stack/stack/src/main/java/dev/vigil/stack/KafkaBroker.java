package dev.vigil.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Kafka node in KRaft mode (broker and controller combined) inside this JVM, on 127.0.0.1.
 *
 * <p>Its log directory is formatted once (never when {@code meta.properties} is already there, so data survives
 * restarts). Ready means an Admin client's describeCluster answers.
 */
final class KafkaBroker implements LocalServer {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The broker's own loggers, quietened to the configured level. The last two are shared with clients:
     * AbstractConfig prints every client's and the broker's full configuration at INFO, AppInfoParser the version.
     */
    static final List<String> BROKER_LOGGERS = List.of(
            "kafka", "state.change.logger",
            "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.snapshot",
            "org.apache.kafka.storage", "org.apache.kafka.coordinator", "org.apache.kafka.security",
            "org.apache.kafka.network", "org.apache.kafka.queue", "org.apache.kafka.common.network",
            "org.apache.kafka.common.config.AbstractConfig", "org.apache.kafka.common.utils.AppInfoParser");

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String logLevel;
    private final SaslSslListener saslSsl;
    private final int saslSslPort;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private KafkaRaftServer server;
    private boolean stopped;

    KafkaBroker(Path dir, int port, int controllerPort, String logLevel) {
        this(dir, port, controllerPort, logLevel, null, 0);
    }

    /** @param saslSsl a second listener, on {@code saslSslPort} (null: none) */
    KafkaBroker(Path dir, int port, int controllerPort, String logLevel, SaslSslListener saslSsl, int saslSslPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logLevel = logLevel;
        this.saslSsl = saslSsl;
        this.saslSslPort = saslSslPort;
    }

    @Override
    public Service service() {
        return Service.KAFKA;
    }

    @Override
    public Optional<ChildJvm> child() {
        return Optional.empty();
    }

    @Override
    public LocalServer again() {
        return new KafkaBroker(dir, port, controllerPort, logLevel, saslSsl, saslSslPort);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** The SASL_SSL listener's bootstrap servers; empty without one. */
    Optional<String> saslSslBootstrapServers() {
        return saslSsl == null ? Optional.empty() : Optional.of("127.0.0.1:" + saslSslPort);
    }

    Path logDir() {
        return dir.resolve("log");
    }

    /** The whole broker configuration: one combined node, replication factor 1 everywhere, no auto-created topics. */
    static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        // A static voter set (not --standalone): the controller port may change between runs on the same data.
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // The internal topics' 50 default partitions make the first consumer group or transaction wait on one core.
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("group.initial.rebalance.delay.ms", "0");
        // a scorer killed mid-transaction blocks its partitions (read_committed readers, and the offsets its successor
        // must read) until the broker aborts that transaction: look for timed-out ones every second, not every 10 s
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        return p;
    }

    @Override
    public void startAndAwaitHealthy(Instant deadline) {
        lifecycle.lock();
        try {
            if (stopped) {
                throw failure("was stopped before it started", null);
            }
            Properties props = brokerProperties(logDir(), port, controllerPort);
            quietBrokerLoggers(logLevel);
            formatIfNew(props); // before the SASL listener's settings: its passwords are never written to disk
            if (saslSsl != null) {
                props.put("listeners", props.get("listeners") + ",SASL_SSL://127.0.0.1:" + saslSslPort);
                props.put("advertised.listeners", props.get("advertised.listeners") + ",SASL_SSL://127.0.0.1:"
                        + saslSslPort);
                props.put("listener.security.protocol.map", props.get("listener.security.protocol.map")
                        + ",SASL_SSL:SASL_SSL");
                props.putAll(saslSsl.brokerProperties());
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
        } catch (StackStartException e) {
            throw e;
        } catch (Exception e) {
            stopQuietly();
            throw failure("did not start: " + e.getMessage(), e);
        } finally {
            lifecycle.unlock();
        }
        awaitDescribeCluster(deadline);
    }

    private void formatIfNew(Properties props) throws IOException {
        Files.createDirectories(logDir());
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return; // formatted by an earlier run: keep its cluster id and data
        }
        Path config = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            props.store(out, "Written by the Vigil local stack to format the log directory");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", config.toString()}, print);
        }
        if (rc != 0) {
            throw new IOException("formatting " + logDir() + " failed (" + rc + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitDescribeCluster(Instant deadline) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (Instant.now().isBefore(deadline)) {
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("start was interrupted", e);
                } catch (Exception e) {
                    last = e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("start was interrupted", e);
                }
            }
        }
        throw failure("did not answer describeCluster by the deadline", last);
    }

    @Override
    public void requestStop() {
        // stopping an in-process broker takes well under a second; awaitStop does it
    }

    @Override
    public void awaitStop() {
        boolean locked;
        try {
            // A start in progress finishes (bounded by its own deadline) before we stop what it started.
            locked = lifecycle.tryLock(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            log.warn("kafka broker is still starting after {} s; leaving it to JVM exit", SHUTDOWN_TIMEOUT.toSeconds());
            return;
        }
        try {
            stopped = true;
            stopQuietly();
        } finally {
            lifecycle.unlock();
        }
    }

    private void stopQuietly() {
        KafkaRaftServer running = server;
        server = null;
        if (running == null) {
            return;
        }
        Thread stopper = new Thread(() -> {
            try {
                running.shutdown();
                running.awaitShutdown();
            } catch (RuntimeException e) {
                log.warn("kafka broker shutdown failed", e);
            }
        }, "vigil-kafka-shutdown");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(SHUTDOWN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            log.warn("kafka broker did not shut down within {} s", SHUTDOWN_TIMEOUT.toSeconds());
        }
    }

    private StackStartException failure(String what, Throwable cause) {
        return new StackStartException(Service.KAFKA, "kafka broker (in this JVM, port " + port + ", controller port "
                + controllerPort + ", data " + logDir() + ") " + what, null, cause);
    }

    /**
     * Sets the broker's loggers to {@code level} when Log4j2 is the logging backend (the usual case: kafka-server
     * depends on log4j-core). Reflection, because Log4j2 is not a compile dependency of this library.
     */
    static void quietBrokerLoggers(String level) {
        if (level == null || level.isBlank()) {
            return;
        }
        try {
            Class<?> levelType = Class.forName("org.apache.logging.log4j.Level");
            Object log4jLevel = levelType.getMethod("toLevel", String.class).invoke(null, level);
            Method setLevel = Class.forName("org.apache.logging.log4j.core.config.Configurator")
                    .getMethod("setLevel", String.class, levelType);
            for (String logger : BROKER_LOGGERS) {
                setLevel.invoke(null, logger, log4jLevel);
            }
        } catch (ClassNotFoundException e) {
            log.debug("Log4j2 core is not on the classpath; broker log levels left as configured");
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("could not set the broker's log levels", e);
        }
    }
}
