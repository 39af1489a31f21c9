package dev.vigil.cli;

import dev.vigil.evaluation.ScoreRecord;
import dev.vigil.evaluation.ScoresCsv;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.ScoringPipeline;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackOptions;
import dev.vigil.stack.TopicSpec;
import dev.vigil.streams.ScoringApp;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.ContextRetriever;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The whole scoring pipeline on an embedded local stack, for {@code ./vigil replay --model}: a fresh broker, registry
 * and OpenSearch node in {@code dataDir} (wiped), every topic, the scorer with the model (its context follows the
 * scores and the chargebacks; no case indexer, see {@link #start}).
 *
 * <p>The scorer's context is its local one: its own scores as it makes them, and the labels (and any other
 * instance's scores) as they flow through Kafka. What a replay cannot match is that flow's lag: a payment's context
 * misses the labels published in the last few milliseconds before it is scored, which at replay speed is minutes of
 * event time.
 */
final class LocalScoringPipeline implements ScoringPipeline {

    static final Duration REPLAY_COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final Path dataDir;

    LocalScoringPipeline(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public Running start(Path model, PrintWriter out) throws Exception {
        out.println("pipeline: starting the local stack (Kafka, schema registry, OpenSearch) in " + dataDir + " ...");
        out.flush();
        LocalStack stack = LocalStack.start(StackOptions.in(dataDir.resolve("stack")).withWipe(true));
        try {
            stack.createTopics(Topics.ALL.stream().map(t -> new TopicSpec(t.name(), t.partitions(), t.compacted()))
                    .toList());
            SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
            Topics.registerValueSchemas(registry);
            PipelineMetrics metrics = PipelineMetrics.prometheus();
            // a bulk run: a commit every second instead of every 100 ms (a commit waits for the broker, and stops
            // the thread's partitions meanwhile); the scores are the same, they only become visible in larger steps.
            // No case indexer: the context is the scorer's own, and this stack is stopped at the end, so indexing
            // every score into OpenSearch (half a core at these rates) would be work no one reads.
            ScoringApp app = ScoringApp.create(ScoringApp.Config.defaults(stack.bootstrapServers(),
                            stack.schemaRegistryUrl(), stack.openSearchUrl(), model, dataDir.resolve("streams-state"))
                    .withCommitInterval(REPLAY_COMMIT_INTERVAL)
                    .withExtras(ScoringApp.Extras.defaults().withCaseIndexer(false)), metrics);
            try {
                app.start(Duration.ofMinutes(2));
            } catch (Exception e) {
                app.close();
                throw e;
            }
            out.printf(Locale.ROOT, "pipeline: scorer running (model %s, adapter %s), commit interval 1 s, no case "
                    + "indexer%n",
                    app.baseModelHash().substring(0, 12), app.adapters().get().version());
            out.flush();
            return new Local(stack, app, registry);
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private record Local(LocalStack stack, ScoringApp app, SchemaRegistryClient registry) implements Running {

        @Override
        public String bootstrapServers() {
            return stack.bootstrapServers();
        }

        @Override
        public String schemaRegistryUrl() {
            return stack.schemaRegistryUrl();
        }

        @Override
        public long collectScores(long transactions, Path scoresOut, Duration idle, PrintWriter out) throws Exception {
            AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, registry);
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-replay-scores-" + UUID.randomUUID());
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            Set<String> seen = new HashSet<>();
            long deadLetters = 0;
            long duplicates = 0;
            long lastProgress = System.nanoTime();
            long lastPrint = System.nanoTime();
            long start = System.nanoTime();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
                 ScoresCsv.Writer writer = ScoresCsv.create(scoresOut)) {
                consumer.subscribe(List.of(Topics.SCORES, Topics.DLQ));
                while (seen.size() + deadLetters < transactions
                        && System.nanoTime() - lastProgress < idle.toNanos()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        lastProgress = System.nanoTime();
                        if (r.topic().equals(Topics.DLQ)) {
                            deadLetters++;
                            continue;
                        }
                        FraudScore s = scores.decode(Topics.SCORES, r.value());
                        if (!seen.add(s.getTransactionId())) {
                            duplicates++;
                            continue;
                        }
                        writer.write(new ScoreRecord(s.getTransactionId(), s.getEventTime(), s.getCardId(),
                                s.getScore(), s.getAlerted(), s.getModelVersion(), s.getAdapterVersion()));
                    }
                    if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                        lastPrint = System.nanoTime();
                        double seconds = (lastPrint - start) / 1e9;
                        out.printf(Locale.ROOT, "  %,12d scored, %,d dead letters, %,.0f scores/s%n", seen.size(),
                                deadLetters, seen.size() / seconds);
                        out.flush();
                    }
                }
            }
            PipelineMetrics m = app.metrics();
            out.printf(Locale.ROOT, "collected:      %,d scores, %,d dead letters, %,d duplicates (must be 0) of %,d "
                    + "transactions; degraded: %,d stale, %,d unavailable%n", seen.size(), deadLetters, duplicates,
                    transactions, m.count("vigil.degraded", "reason", ContextRetriever.STALE),
                    m.count("vigil.degraded", "reason", ContextRetriever.UNAVAILABLE));
            if (seen.size() + deadLetters < transactions) {
                out.printf(Locale.ROOT, "replay: only %,d of %,d transactions accounted for after %s without progress%n",
                        seen.size() + deadLetters, transactions, idle);
            }
            out.flush();
            return seen.size();
        }

        @Override
        public void close() {
            try {
                app.close();
            } finally {
                stack.close();
            }
        }
    }
}
