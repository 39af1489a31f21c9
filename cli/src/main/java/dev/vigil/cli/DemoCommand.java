package dev.vigil.cli;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.generate.PaymentSimulator;
import dev.vigil.simulator.generate.Scenario;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.simulator.generate.SimulationSummary;
import dev.vigil.simulator.replay.BadRowLog;
import dev.vigil.simulator.replay.KafkaReplaySink;
import dev.vigil.simulator.replay.RecordTimestamps;
import dev.vigil.simulator.replay.ReplayOptions;
import dev.vigil.simulator.replay.ReplayProgress;
import dev.vigil.simulator.replay.ReplayReport;
import dev.vigil.simulator.replay.ReplayTopics;
import dev.vigil.simulator.replay.TransactionReplayer;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackOptions;
import dev.vigil.stack.TopicSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job, end to end on the embedded local stack: start a real broker, schema registry and OpenSearch node on
 * loopback, simulate a payment history, publish it in event-time order with its delayed chargebacks through the real
 * broker and registry, read every record back with a read_committed consumer and check nothing was lost, then stop
 * everything. Scoring, the case index and the feedback loop join this command as their modules land.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Vigil end to end on the embedded local stack: simulate payments, publish them through a "
                + "real Kafka broker and schema registry, read them back, and stop cleanly.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--days", defaultValue = "3", description = "Simulated days of payments (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--cards", defaultValue = "2000", description = "Simulated cards (default: ${DEFAULT-VALUE}).")
    int cards;

    @Option(names = "--merchants", defaultValue = "400", description = "Simulated merchants (default: ${DEFAULT-VALUE}).")
    int merchants;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", defaultValue = ".vigil/demo",
            description = "Where the stack's data and the simulated CSV go; wiped at start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();

        out.println("[1/4] starting the local stack (Kafka KRaft broker, schema registry, OpenSearch with k-NN) ...");
        out.flush();
        StackOptions options = StackOptions.in(dataDir.resolve("stack")).withWipe(true);
        try (LocalStack stack = LocalStack.start(options)) {
            out.printf("      up in %.1f s: kafka %s, registry %s, opensearch %s%n",
                    stack.startupTime().toMillis() / 1000.0, stack.bootstrapServers(), stack.schemaRegistryUrl(),
                    stack.openSearchUrl());
            stack.createTopics(Topics.ALL.stream()
                    .map(t -> new TopicSpec(t.name(), t.partitions(), t.compacted())).toList());
            SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
            registry.checkReachable();
            Topics.registerValueSchemas(registry);
            out.printf("      topics created and %d value schemas registered%n", Topics.ALL.size());

            Path csv = dataDir.resolve("history.csv");
            out.printf("[2/4] simulating %d days of payments (%,d cards, %,d merchants, seed %d) ...%n",
                    days, cards, merchants, seed);
            out.flush();
            SimulationConfig config = SimulationConfig.of(days, cards, merchants, seed)
                    .withStart(LocalDate.of(2026, 1, 1));
            SimulationSummary summary = new PaymentSimulator(config).writeCsv(csv);
            out.printf("      %,d transactions, %,d fraud (%.2f%%) -> %s%n", summary.transactions(),
                    summary.frauds(), 100.0 * summary.fraudRate(), csv);
            for (Scenario scenario : Scenario.values()) {
                if (scenario.isFraud() && summary.rows(scenario) > 0) {
                    out.printf("        %-22s %,6d%n", scenario.tag(), summary.rows(scenario));
                }
            }

            out.println("[3/4] publishing them in event-time order, chargebacks 7 days after each fraud ...");
            out.flush();
            AvroSerde<Transaction> transactionSerde = new AvroSerde<>(Transaction.class, registry);
            AvroSerde<FraudLabel> labelSerde = new AvroSerde<>(FraudLabel.class, registry);
            ReplayReport report;
            try (KafkaReplaySink sink = KafkaReplaySink.create(stack.bootstrapServers(), transactionSerde, labelSerde,
                    ReplayTopics.DEFAULT, RecordTimestamps.WALL_CLOCK)) {
                report = new TransactionReplayer(sink, ReplayOptions.defaults(), ReplayProgress.SILENT)
                        .replay(csv, new BadRowLog());
            }
            out.printf("      %,d transactions and %,d chargebacks at %,.0f tx/s%n", report.transactions(),
                    report.labelsPublished(), report.transactionsPerSecond());

            out.println("[4/4] reading everything back (read_committed) ...");
            out.flush();
            long transactionsRead = countRecords(stack.bootstrapServers(), Topics.TRANSACTIONS, report.transactions(),
                    transactionSerde::decode);
            long labelsRead = countRecords(stack.bootstrapServers(), Topics.LABELS, report.labelsPublished(),
                    labelSerde::decode);
            boolean complete = transactionsRead == report.transactions() && labelsRead == report.labelsPublished();
            out.printf("      read back %,d / %,d transactions and %,d / %,d labels: %s%n", transactionsRead,
                    report.transactions(), labelsRead, report.labelsPublished(), complete ? "nothing lost" : "MISSING RECORDS");
            out.println("stopping the local stack ...");
            out.flush();
            if (!complete) {
                return 1;
            }
        }
        out.printf("demo finished in %.1f s; the simulated history is in %s%n",
                (System.nanoTime() - started) / 1e9, dataDir.resolve("history.csv"));
        return 0;
    }

    /** Reads the topic from the start until {@code expected} records decode, or 60 s pass. */
    private static long countRecords(String bootstrapServers, String topic, long expected,
                                     java.util.function.BiFunction<String, byte[], ?> decoder) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "vigil-demo-check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long count = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    decoder.apply(topic, record.value());
                    count++;
                }
            }
        }
        return count;
    }
}
