package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover: two scorers ({@code ./vigil streams} in their own JVMs, one stream thread each) share four partitions under
 * a paced stream; one is killed with SIGKILL. The other takes its partitions over: every transaction is scored exactly
 * once, and the test prints how long the killed scorer's partitions went without a score (the failover time; the
 * README records what it measured).
 */
class FailoverIT {

    static final int PARTITIONS = 4;

    @TempDir
    Path work;

    @Test
    void theSurvivorScoresTheKilledScorersPartitionsExactlyOnce() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        PipelineTopics t = new PipelineTopics(stack, PARTITIONS);
        List<Transaction> all = PipelineTopics.simulated(3, 400, 80, 9, 8000);
        String applicationId = "it-failover-" + UUID.randomUUID();
        String caseIndex = "it-cases-" + UUID.randomUUID();
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);

        Process first = ExactlyOnceIT.scorer(work, stack, t, applicationId, caseIndex, "first", work.resolve("state-first"), "1");
        Process second = ExactlyOnceIT.scorer(work, stack, t, applicationId, caseIndex, "second", work.resolve("state-second"), "1");
        Thread feeder = t.feeder(all, 20, 100); // about 200 payments a second for 40 s
        List<FraudScore> scored;
        Instant killed;
        try {
            // both scorers running and scoring every partition: then kill one
            List<FraudScore> before = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> false, Duration.ofSeconds(1));
            assertThat(before).isEmpty();
            feeder.start();
            t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() >= 1500, Duration.ofSeconds(120));
            killed = Instant.now();
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            feeder.join(120_000);
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() >= all.size(), Duration.ofSeconds(180));
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() > all.size(), Duration.ofSeconds(3));
        } finally {
            feeder.interrupt();
            first.destroyForcibly();
            ExactlyOnceIT.stop(second);
        }

        PipelineTopics.assertScoredExactlyOnce(scored,
                all.stream().map(Transaction::getTransactionId).collect(Collectors.toSet()), "logs in " + work);

        // per input partition, the longest time without a score after the kill: the killed scorer's partitions
        double failover = 0;
        List<String> gaps = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            List<Instant> times = scored.stream()
                    .filter(s -> Utils.toPositive(Utils.murmur2(s.getCardId().getBytes(StandardCharsets.UTF_8)))
                            % PARTITIONS == partition)
                    .map(FraudScore::getScoredTime).sorted(Comparator.naturalOrder()).toList();
            double gap = 0;
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i).isAfter(killed)) {
                    gap = Math.max(gap, Duration.between(times.get(i - 1), times.get(i)).toMillis() / 1000.0);
                }
            }
            gaps.add(String.format("%d: %.1f s", p, gap));
            failover = Math.max(failover, gap);
        }
        System.out.printf("failover: the killed scorer's partitions were scored again within %.1f s after SIGKILL "
                + "(longest gap per partition %s)%n", failover, gaps);
        assertThat(failover).as("a partition went unscored").isPositive();
    }
}
