package dev.vigil.stack;

import dev.vigil.stack.files.FileTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real servers on 127.0.0.1 for the demo and for integration tests: a Kafka broker (KRaft, in this JVM), a
 * Confluent-compatible schema registry and an OpenSearch node with k-NN (each in a child JVM).
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(StackOptions.in(Path.of(".vigil/stack")))) {
 *     stack.createTopics(List.of(TopicSpec.of("payments.transactions", 6), TopicSpec.compacted("fraud.adapters", 1)));
 *     String bootstrap = stack.bootstrapServers();      // 127.0.0.1:PORT
 *     String registry = stack.schemaRegistryUrl();      // http://127.0.0.1:PORT/api/v1/confluent
 *     String openSearch = stack.openSearchUrl();        // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * Servers start in parallel; each must be healthy within {@link StackOptions#startTimeout()}, or the start fails
 * with a {@link StackStartException} naming the server and its log, and everything already started is stopped.
 * Child JVMs write to {@code <data-dir>/logs/}; they stop on {@link #close()}, on JVM exit (a shutdown hook), and
 * also when this JVM is killed with SIGKILL (see {@link dev.vigil.stack.child.ParentWatchdog}).
 *
 * <p>Integration tests share one stack per JVM through {@link #sharedForTests(Service...)}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    /** The per-JVM stack of {@link #sharedForTests(Service...)}; guarded by LocalStack.class. */
    private static LocalStack shared;

    private final StackOptions options;
    private final boolean sharedInstance;
    private final DataDir dataDir;
    private final LoopbackPorts ports = new LoopbackPorts();
    private final Map<Service, Duration> readyAfter = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final Object lock = new Object();
    /** Guarded by lock. */
    private final Map<Service, LocalServer> servers = new EnumMap<>(Service.class);
    /** Guarded by lock. */
    private Admin admin;
    /** Guarded by lock. */
    private boolean closing;
    private volatile Duration startupTime = Duration.ZERO;

    private LocalStack(StackOptions options, boolean sharedInstance) {
        this.options = options;
        this.sharedInstance = sharedInstance;
        this.dataDir = DataDir.open(options.dataDir(), options.wipe());
        this.shutdownHook = new Thread(this::stop, "vigil-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the servers {@code options} names, in parallel, and returns once all are healthy.
     *
     * @throws PortInUseException if a requested port is taken (nothing was started)
     * @throws StackStartException if a server fails or is not healthy in time (everything started was stopped)
     */
    public static LocalStack start(StackOptions options) {
        LoopbackPorts.checkRequested(options); // before the data directory is touched (a --wipe included)
        LocalStack stack = new LocalStack(options, false);
        try {
            stack.startupTime = stack.startServices(options.services());
        } catch (RuntimeException e) {
            stack.stop();
            stack.removeShutdownHook();
            throw e;
        }
        return stack;
    }

    /**
     * The stack shared by every integration test in this JVM: started on first use in a temporary data directory on
     * free ports, stopped and deleted when the JVM exits. A later call that names a service not yet running starts it.
     * No arguments means all services. {@link #close()} on it does nothing, so a test cannot stop it for the others;
     * tests isolate themselves with unique topic names, group ids and index names.
     */
    public static LocalStack sharedForTests(Service... services) {
        Set<Service> wanted = services.length == 0
                ? EnumSet.allOf(Service.class)
                : EnumSet.copyOf(Arrays.asList(services));
        synchronized (LocalStack.class) {
            if (shared == null) {
                Path dir;
                try {
                    dir = Files.createTempDirectory("vigil-stack-");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a temporary data directory", e);
                }
                StackOptions options = StackOptions.in(dir).withServices(wanted).withDeleteDataDirOnClose(true);
                LocalStack stack = new LocalStack(options, true);
                try {
                    stack.startupTime = stack.startServices(wanted);
                } catch (RuntimeException e) {
                    stack.stop();
                    throw e;
                }
                shared = stack;
            } else {
                shared.startServices(wanted);
            }
            return shared;
        }
    }

    /** Starts those of {@code wanted} that are not running yet; returns how long that took. */
    private Duration startServices(Set<Service> wanted) {
        Instant begin = Instant.now();
        Instant deadline = begin.plus(options.startTimeout());
        List<LocalServer> starting = new ArrayList<>();
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("this local stack is closed");
            }
            // Every port is checked before anything starts, so a taken port fails fast and leaves nothing behind.
            for (Service service : EnumSet.copyOf(wanted)) {
                if (!servers.containsKey(service)) {
                    starting.add(create(service));
                }
            }
            starting.forEach(server -> servers.put(server.service(), server));
        }
        if (starting.isEmpty()) {
            return Duration.ZERO;
        }
        log.info("starting {} in {}", names(starting), dataDir.root());

        CompletableFuture<Void> outcome = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(starting.size());
        for (LocalServer server : starting) {
            Thread thread = new Thread(() -> {
                try {
                    server.startAndAwaitHealthy(deadline);
                    Duration took = Duration.between(begin, Instant.now());
                    readyAfter.put(server.service(), took);
                    log.info("{} healthy after {} ms", server.service().displayName(), took.toMillis());
                    if (remaining.decrementAndGet() == 0) {
                        outcome.complete(null);
                    }
                } catch (Throwable e) {
                    outcome.completeExceptionally(e);
                }
            }, "vigil-stack-start-" + server.service().name().toLowerCase());
            thread.setDaemon(true);
            thread.start();
        }
        try {
            // Each server stops trying at the deadline; the margin covers the last health check.
            outcome.get(options.startTimeout().toMillis() + 15_000, TimeUnit.MILLISECONDS);
            return Duration.between(begin, Instant.now());
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            stopServers(starting);
            synchronized (lock) {
                starting.forEach(server -> servers.remove(server.service()));
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof StackStartException startFailure) {
                throw startFailure;
            }
            throw new StackStartException(null, "the local stack did not start " + names(starting) + ": " + cause,
                    null, cause);
        }
    }

    private LocalServer create(Service service) {
        int port = ports.choose(service, options.port(service));
        return switch (service) {
            case KAFKA -> new KafkaBroker(dataDir.serverDir("kafka"), port,
                    ports.choose(service, 0), options.brokerLogLevel(), options.saslSsl(),
                    options.saslSsl() == null ? 0 : ports.choose(service, 0));
            case SCHEMA_REGISTRY -> new SchemaRegistryServer(dataDir.serverDir("schema-registry"),
                    dataDir.logFile("schema-registry"), port, options.childJava());
            case OPENSEARCH -> new OpenSearchServer(dataDir.serverDir("opensearch"), dataDir.logFile("opensearch"),
                    port, ports.choose(service, options.openSearchTransportPort()), options.openSearchHeapMb(),
                    options.childJava());
        };
    }

    /**
     * Stops one server and starts it again on the same ports and data, for fault drills ({@code ./vigil chaos}); a
     * server that was killed from outside is started again the same way. Returns how long the start took.
     *
     * @throws StackStartException if it is not healthy again within the start timeout
     */
    public Duration restart(Service service) {
        LocalServer old;
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("this local stack is closed");
            }
            old = servers.get(service);
        }
        if (old == null) {
            throw new IllegalArgumentException(service.displayName() + " is not running in this stack");
        }
        old.requestStop();
        old.awaitStop();
        LocalServer fresh = old.again();
        synchronized (lock) {
            servers.put(service, fresh);
        }
        Instant begin = Instant.now();
        fresh.startAndAwaitHealthy(begin.plus(options.startTimeout()));
        log.info("{} restarted in {} ms", service.displayName(), Duration.between(begin, Instant.now()).toMillis());
        return Duration.between(begin, Instant.now());
    }

    /** The process id of a server that runs in a child JVM; empty for one inside this JVM (the broker). */
    public java.util.OptionalLong pid(Service service) {
        synchronized (lock) {
            LocalServer server = servers.get(service);
            return server == null ? java.util.OptionalLong.empty()
                    : server.child().map(c -> java.util.OptionalLong.of(c.pid())).orElse(java.util.OptionalLong.empty());
        }
    }

    /** The broker's bootstrap servers, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return server(Service.KAFKA, KafkaBroker.class).bootstrapServers();
    }

    /** The broker's SASL_SSL listener ({@link StackOptions#withSaslSsl}), e.g. {@code 127.0.0.1:9093}. */
    public String saslSslBootstrapServers() {
        return server(Service.KAFKA, KafkaBroker.class).saslSslBootstrapServers()
                .orElseThrow(() -> new IllegalStateException("this stack's broker has no SASL_SSL listener"));
    }

    /** The Confluent-compatible registry API, e.g. {@code http://127.0.0.1:8081/api/v1/confluent}. */
    public String schemaRegistryUrl() {
        return server(Service.SCHEMA_REGISTRY, SchemaRegistryServer.class).url();
    }

    /** The OpenSearch REST endpoint, e.g. {@code http://127.0.0.1:9200}. */
    public String openSearchUrl() {
        return server(Service.OPENSEARCH, OpenSearchServer.class).url();
    }

    /** The services running now. */
    public Set<Service> services() {
        synchronized (lock) {
            return servers.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(servers.keySet()));
        }
    }

    public Path dataDir() {
        return dataDir.root();
    }

    /**
     * True when the data directory held data from an earlier run (not new, not wiped). Kafka then still has its
     * topics and records, while the schema registry, which keeps schemas in memory, starts empty: records from
     * earlier runs carry schema ids it no longer knows, or that a new registration may give to another schema.
     */
    public boolean dataReused() {
        return dataDir.reused();
    }

    /** The log file of a service that runs in a child JVM. */
    public Optional<Path> logFile(Service service) {
        return childServer(service).map(ChildJvmServer::logFile);
    }

    /** How long the first start took, from the call until every server was healthy. */
    public Duration startupTime() {
        return startupTime;
    }

    /** For each running service, how long it took from the start of its start-up until it was healthy. */
    public Map<Service, Duration> startupTimes() {
        return Collections.unmodifiableMap(new EnumMap<>(readyAfter));
    }

    /** The child JVMs (schema registry, OpenSearch) that are part of this stack, alive or not. */
    public List<ProcessHandle> childProcesses() {
        synchronized (lock) {
            return servers.values().stream().flatMap(s -> s.child().stream()).map(ChildJvm::handle).toList();
        }
    }

    /** Resident memory now: this JVM (which hosts the broker) and each child JVM. */
    public List<ProcessMemory> memory() {
        List<ProcessMemory> memory = new ArrayList<>();
        boolean kafka = services().contains(Service.KAFKA);
        memory.add(ProcessMemory.of(kafka ? "this JVM (with the kafka broker)" : "this JVM", ProcessHandle.current().pid()));
        synchronized (lock) {
            for (LocalServer server : servers.values()) {
                server.child().ifPresent(c -> memory.add(ProcessMemory.of(server.service().displayName(), c.pid())));
            }
        }
        return memory;
    }

    /**
     * Creates the topics that do not exist yet (replication factor 1; {@code compacted} sets
     * {@code cleanup.policy=compact}) and waits until every partition has a leader. Topics that exist already are
     * left as they are; a difference in partitions or compaction is logged as a warning.
     *
     * @return the names of the topics this call created
     */
    public Set<String> createTopics(List<TopicSpec> topics) {
        if (topics.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (TopicSpec topic : topics) {
            if (!names.add(topic.name())) {
                throw new IllegalArgumentException("topic " + topic.name() + " is listed twice");
            }
        }
        Admin admin = admin();
        List<NewTopic> requests = topics.stream()
                .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.compacted()
                        ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                        : Map.of()))
                .toList();
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin.createTopics(requests).values();
        Set<String> created = new LinkedHashSet<>();
        List<TopicSpec> existing = new ArrayList<>();
        for (TopicSpec topic : topics) {
            try {
                results.get(topic.name()).get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                created.add(topic.name());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    existing.add(topic);
                } else {
                    throw new IllegalStateException("creating topic " + topic.name() + " failed: " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("creating topic " + topic.name() + " did not finish in "
                        + TOPIC_TIMEOUT.toSeconds() + " s", e);
            }
        }
        Map<String, TopicDescription> descriptions = awaitLeaders(admin, names);
        warnOnDifferences(admin, existing, descriptions);
        if (!created.isEmpty()) {
            log.info("created topics {}", created);
        }
        return created;
    }

    private Map<String, TopicDescription> awaitLeaders(Admin admin, Set<String> names) {
        Instant deadline = Instant.now().plus(TOPIC_TIMEOUT);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(5, TimeUnit.SECONDS);
                boolean ready = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && leader.id() >= 0);
                // a leader in the metadata is not yet a partition the broker serves: an idempotent producer whose
                // first batch meets NOT_LEADER_OR_FOLLOWER there can see its later batches refused as out of order
                // (Kafka 4.x, transactions v2) and retry them until they expire, losing them. Ask each leader for
                // its end offset, which it answers only once it serves the partition.
                if (ready) {
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    descriptions.values().forEach(d -> d.partitions().forEach(
                            p -> ends.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                    admin.listOffsets(ends).all().get(5, TimeUnit.SECONDS);
                    return descriptions;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics " + names, e);
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("topics " + names + " had no serving leader for every partition within "
                + TOPIC_TIMEOUT.toSeconds() + " s", last);
    }

    private void warnOnDifferences(Admin admin, List<TopicSpec> existing, Map<String, TopicDescription> descriptions) {
        if (existing.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = existing.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name()))
                .toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not read the configuration of existing topics {}", resources, e);
            return;
        }
        for (TopicSpec topic : existing) {
            int partitions = descriptions.get(topic.name()).partitions().size();
            if (partitions != topic.partitions()) {
                log.warn("topic {} exists with {} partitions, not the {} asked for; wipe the data directory to"
                        + " recreate it", topic.name(), partitions, topic.partitions());
            }
            var policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG);
            boolean compacted = policy != null && policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT);
            if (compacted != topic.compacted()) {
                log.warn("topic {} exists with cleanup.policy={}, but compacted={} was asked for; wipe the data"
                        + " directory to recreate it", topic.name(), policy == null ? "?" : policy.value(),
                        topic.compacted());
            }
        }
    }

    private Admin admin() {
        String bootstrap = bootstrapServers();
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("this local stack is closed");
            }
            if (admin == null) {
                admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        AdminClientConfig.CLIENT_ID_CONFIG, "vigil-local-stack"));
            }
            return admin;
        }
    }

    /**
     * Stops every server and waits until they are gone (children: stdin closed, then SIGTERM, then SIGKILL; bounded).
     * Does nothing on the {@linkplain #sharedForTests(Service...) shared test stack}, which stops at JVM exit.
     */
    @Override
    public void close() {
        if (sharedInstance) {
            log.debug("close() on the shared test stack ignored: it stops when the JVM exits");
            return;
        }
        stop();
        removeShutdownHook();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs (or ran) and finds the stack stopped
        }
    }

    /** Stops everything once; a concurrent second caller (the shutdown hook) waits until the first is done. */
    private void stop() {
        List<LocalServer> toStop;
        Admin adminToClose;
        synchronized (lock) {
            if (closing) {
                toStop = null;
                adminToClose = null;
            } else {
                closing = true;
                toStop = new ArrayList<>(servers.values());
                adminToClose = admin;
                admin = null;
            }
        }
        if (toStop == null) {
            awaitStopped();
            return;
        }
        Instant begin = Instant.now();
        try {
            if (adminToClose != null) {
                adminToClose.close(Duration.ofSeconds(2));
            }
            stopServers(toStop);
            dataDir.close();
            if (options.deleteDataDirOnClose()) {
                FileTree.delete(dataDir.root());
            }
            log.info("local stack stopped in {} ms", Duration.between(begin, Instant.now()).toMillis());
        } catch (IOException | RuntimeException e) {
            log.warn("stopping the local stack: {}", e.toString());
        } finally {
            stopped.countDown();
        }
    }

    private void awaitStopped() {
        try {
            stopped.await(ChildJvm.STOP_GRACE.toSeconds() + 60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Signals every server first and then waits for each, in parallel, so the slowest sets the pace. */
    private static void stopServers(List<LocalServer> toStop) {
        toStop.forEach(LocalServer::requestStop);
        List<Thread> waiters = new ArrayList<>();
        for (LocalServer server : toStop) {
            Thread waiter = new Thread(server::awaitStop, "vigil-stack-stop-" + server.service().name().toLowerCase());
            waiter.setDaemon(true);
            waiter.start();
            waiters.add(waiter);
        }
        for (Thread waiter : waiters) {
            try {
                waiter.join(ChildJvm.STOP_GRACE.plusSeconds(45).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private <T extends LocalServer> T server(Service service, Class<T> type) {
        synchronized (lock) {
            LocalServer server = servers.get(service);
            if (server == null) {
                throw new IllegalStateException(service.displayName() + " is not part of this local stack (running: "
                        + servers.keySet() + ")");
            }
            return type.cast(server);
        }
    }

    private Optional<ChildJvmServer> childServer(Service service) {
        synchronized (lock) {
            return servers.get(service) instanceof ChildJvmServer child ? Optional.of(child) : Optional.empty();
        }
    }

    private static List<String> names(List<LocalServer> servers) {
        return servers.stream().map(s -> s.service().displayName()).toList();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
