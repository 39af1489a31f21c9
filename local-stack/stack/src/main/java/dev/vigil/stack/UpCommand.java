package dev.vigil.stack;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vigil up}: starts the local stack, creates the topics it was given, prints where everything listens, how
 * long start-up took and how much memory each process uses, then runs until Ctrl-C or SIGTERM and stops cleanly.
 *
 * <p>This module knows nothing of Vigil's topics: the launcher passes them in, e.g.
 * {@code commandLine.addSubcommand(new UpCommand(VigilTopics.ALL))}.
 */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Starts Vigil's local stack on 127.0.0.1 and runs it until Ctrl-C: a Kafka broker (KRaft, in this JVM),"
                + " a Confluent-compatible schema registry and OpenSearch with k-NN (each in a child JVM that exits"
                + " with this one); creates Vigil's topics.",
            "Data is kept in --data-dir across runs; child JVM logs are in <data-dir>/logs."})
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".vigil/stack", paramLabel = "DIR",
            description = "Where the servers keep their data and logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--wipe", description = "Delete the data directory first: start from empty topics and indices.")
    boolean wipe;

    @Option(names = "--kafka-port", defaultValue = "9092", paramLabel = "PORT",
            description = "Kafka broker port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081", paramLabel = "PORT",
            description = "Schema registry port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int registryPort;

    @Option(names = "--opensearch-port", defaultValue = "9200", paramLabel = "PORT",
            description = "OpenSearch HTTP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int openSearchPort;

    @Option(names = "--no-registry", description = "Do not start the schema registry.")
    boolean noRegistry;

    @Option(names = "--no-opensearch", description = "Do not start OpenSearch.")
    boolean noOpenSearch;

    @Option(names = "--opensearch-heap-mb", defaultValue = "1024", paramLabel = "MB",
            description = "OpenSearch heap (default: ${DEFAULT-VALUE}).")
    int openSearchHeapMb;

    @Option(names = "--start-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "How long each server may take to become healthy (default: ${DEFAULT-VALUE}).")
    int startTimeoutSeconds;

    @Spec
    CommandSpec spec;

    private final List<TopicSpec> topics;

    /** @param topics the topics to create once the broker is up (existing ones are left as they are) */
    public UpCommand(List<TopicSpec> topics) {
        this.topics = List.copyOf(topics);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StackOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }

        out.printf("Starting %s in %s%s ...%n", displayNames(options.services()), options.dataDir(),
                options.wipe() ? " (wiped first)" : "");
        out.flush();
        LocalStack stack;
        try {
            stack = LocalStack.start(options);
        } catch (PortInUseException e) {
            err.printf("vigil up: %s. Stop what holds it, or choose another port with %s (0 picks a free one).%n",
                    e.getMessage(), portOption(e.service()));
            err.flush();
            return 2;
        } catch (StackStartException | IllegalArgumentException e) {
            err.println("vigil up: " + e.getMessage());
            err.flush();
            return 1;
        }

        Set<String> created;
        try {
            created = stack.createTopics(topics);
        } catch (RuntimeException e) {
            err.println("vigil up: " + e.getMessage());
            err.flush();
            stack.close();
            return 1;
        }
        List<ProcessHandle> children = stack.childProcesses();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndReport(stack, children, out),
                "vigil-up-stop"));
        out.print(summary(stack, topics, created));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        // Runs until the JVM is asked to exit; the shutdown hooks stop the stack.
        new CountDownLatch(1).await();
        return 0;
    }

    StackOptions options() {
        Set<Service> services = EnumSet.allOf(Service.class);
        if (noRegistry) {
            services.remove(Service.SCHEMA_REGISTRY);
        }
        if (noOpenSearch) {
            services.remove(Service.OPENSEARCH);
        }
        if (startTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("--start-timeout must be positive, got " + startTimeoutSeconds);
        }
        for (Map.Entry<String, Integer> port : Map.of("--kafka-port", kafkaPort, "--registry-port", registryPort,
                "--opensearch-port", openSearchPort).entrySet()) {
            if (port.getValue() < 0 || port.getValue() > 65535) {
                throw new IllegalArgumentException(port.getKey() + " must be between 0 and 65535, got " + port.getValue());
            }
        }
        if (openSearchHeapMb < 256) {
            throw new IllegalArgumentException("--opensearch-heap-mb must be at least 256, got " + openSearchHeapMb);
        }
        return StackOptions.in(dataDir)
                .withWipe(wipe)
                .withServices(services)
                .withKafkaPort(kafkaPort)
                .withRegistryPort(registryPort)
                .withOpenSearchPort(openSearchPort)
                .withOpenSearchHeapMb(openSearchHeapMb)
                .withStartTimeout(Duration.ofSeconds(startTimeoutSeconds));
    }

    /** The option that sets a service's port, for error messages. */
    static String portOption(Service service) {
        if (service == null) {
            return "the port options";
        }
        return switch (service) {
            case KAFKA -> "--kafka-port";
            case SCHEMA_REGISTRY -> "--registry-port";
            case OPENSEARCH -> "--opensearch-port";
        };
    }

    static String summary(LocalStack stack, List<TopicSpec> topics, Set<String> created) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Vigil local stack is up in %.1f s (data: %s)%n",
                stack.startupTime().toMillis() / 1000.0, stack.dataDir()));
        Map<Service, Duration> ready = stack.startupTimes();
        for (Service service : stack.services()) {
            String address = switch (service) {
                case KAFKA -> stack.bootstrapServers();
                case SCHEMA_REGISTRY -> stack.schemaRegistryUrl();
                case OPENSEARCH -> stack.openSearchUrl();
            };
            String where = stack.logFile(service).map(log -> "log: " + log).orElse("in this JVM");
            text.append(String.format(Locale.ROOT, "  %-16s %-44s ready after %4.1f s   %s%n", service.displayName(),
                    address, ready.getOrDefault(service, Duration.ZERO).toMillis() / 1000.0, where));
        }
        if (stack.services().contains(Service.SCHEMA_REGISTRY)) {
            text.append(stack.dataReused() && stack.services().contains(Service.KAFKA)
                    ? "  WARNING: Kafka kept its records from the last run, but the schema registry (in memory) starts"
                            + " empty:\n  records written before this start carry schema ids it no longer knows. Use"
                            + " --wipe for a consistent start.\n"
                    : "  (the schema registry keeps schemas in memory: they are gone when it stops)\n");
        }
        List<String> existing = topics.stream().map(TopicSpec::name).filter(name -> !created.contains(name)).toList();
        text.append("Topics created: ").append(created.isEmpty() ? "none" : String.join(", ", created))
                .append("; already there: ").append(existing.isEmpty() ? "none" : String.join(", ", existing))
                .append('\n');
        List<ProcessMemory> memory = stack.memory();
        long total = memory.stream().mapToLong(ProcessMemory::rssBytes).filter(b -> b > 0).sum();
        text.append("Memory (RSS): ")
                .append(memory.stream()
                        .map(m -> String.format(Locale.ROOT, "%s %d MB (pid %d)", m.process(), m.rssMegabytes(), m.pid()))
                        .collect(Collectors.joining(", ")))
                .append(String.format(Locale.ROOT, "; total %d MB%n", total / (1024 * 1024)));
        return text.toString();
    }

    private static void stopAndReport(LocalStack stack, List<ProcessHandle> children, PrintWriter out) {
        Instant begin = Instant.now();
        out.println();
        out.println("Stopping the local stack ...");
        out.flush();
        stack.close();
        List<ProcessHandle> alive = children.stream().filter(ProcessHandle::isAlive).toList();
        double seconds = Duration.between(begin, Instant.now()).toMillis() / 1000.0;
        if (alive.isEmpty()) {
            out.printf(Locale.ROOT, "Stopped in %.1f s; no child process left.%n", seconds);
        } else {
            out.printf(Locale.ROOT, "Stopped in %.1f s, but these child processes are still alive: %s%n", seconds,
                    alive.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", ")));
        }
        out.flush();
    }

    private static String displayNames(Set<Service> services) {
        return EnumSet.copyOf(services).stream().map(Service::displayName).collect(Collectors.joining(", "));
    }
}
