package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.testkit.SeededModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: the scorer runs in its own JVM ({@code StreamsCommand}, as {@code ./vigil streams}
 * runs it), is killed with SIGKILL in the middle of a stream of transactions, and restarted; a read_committed
 * consumer then finds exactly one score per transaction, none missing, none twice.
 */
class ExactlyOnceIT {

    @TempDir
    Path work;

    @Test
    void everyTransactionHasExactlyOneScoreAfterAKillAndARestart() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        PipelineTopics t = new PipelineTopics(stack, 2);
        List<Transaction> all = PipelineTopics.simulated(3, 300, 50, 3, 6000);
        String applicationId = "it-eos-" + UUID.randomUUID();
        String caseIndex = "it-cases-" + UUID.randomUUID();
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);

        // the stream arrives over several seconds, so that the kill lands in the middle of it
        Thread feeder = t.feeder(all, 100, 50);
        feeder.start();

        Process first = scorer(work, stack, t, applicationId, caseIndex, "first", work.resolve("state"), "2");
        try {
            // kill it once a good part, but not all, has been scored and committed
            List<FraudScore> before = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() >= all.size() / 4, Duration.ofSeconds(120));
            assertThat(before.size()).as("scores before the kill (see %s)", work.resolve("first.log"))
                    .isGreaterThanOrEqualTo(all.size() / 4);
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        int committedAtKill = t.readCommitted(t.topics.scores(), b -> 1, read -> false, Duration.ofSeconds(2)).size();
        assertThat(committedAtKill).as("the kill must land mid-stream").isLessThan(all.size());

        Process second = scorer(work, stack, t, applicationId, caseIndex, "second", work.resolve("state"), "2");
        List<FraudScore> scored;
        try {
            feeder.join(120_000);
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() >= all.size(), Duration.ofSeconds(180));
            assertThat(scored.size()).as("scores after the restart (logs in %s)", work).isGreaterThanOrEqualTo(all.size());
            // anything scored twice would show up as more records than transactions: read it all again, a while longer
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() > all.size(), Duration.ofSeconds(5));
        } finally {
            stop(second);
        }

        PipelineTopics.assertScoredExactlyOnce(scored,
                all.stream().map(Transaction::getTransactionId).collect(Collectors.toSet()), "logs in " + work);
        assertThat(scored).hasSize(all.size());
    }

    /** Stops a scorer process as Ctrl-C would (SIGTERM), or kills it after 60 s. */
    static void stop(Process scorer) throws InterruptedException {
        scorer.destroy();
        if (!scorer.waitFor(60, TimeUnit.SECONDS)) {
            scorer.destroyForcibly();
        }
    }

    /** {@code ./vigil streams} in its own JVM, logging to {@code work/name.log}. */
    static Process scorer(Path work, LocalStack stack, PipelineTopics t, String applicationId, String caseIndex,
                          String name, Path stateDir, String streamThreads) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx1g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), StreamsCommand.class.getName(),
                "--model", SeededModel.directory().toString(),
                "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry", stack.schemaRegistryUrl(),
                "--opensearch", stack.openSearchUrl(),
                "--case-index", caseIndex,
                "--application-id", applicationId,
                "--state-dir", stateDir.toString(),
                "--stream-threads", streamThreads,
                "--metrics-port", "-1",
                "--transactions-topic", t.topics.transactions(),
                "--scores-topic", t.topics.scores(),
                "--alerts-topic", t.topics.alerts(),
                "--dlq-topic", t.topics.dlq(),
                "--adapters-topic", t.adapters,
                "--labels-topic", t.labels);
        File log = work.resolve(name + ".log").toFile();
        Files.createDirectories(work);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }
}
