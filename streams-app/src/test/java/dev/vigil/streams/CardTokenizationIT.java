package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.cards.CardTokens;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.streams.context.OpenSearchHttp;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.BatchScorer;
import dev.vigil.streams.scoring.DecisionPolicy;
import dev.vigil.testkit.SeededModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Card ids are tokenized at the door: a run of the scorer (with its case indexer) on card ids shaped like card
 * numbers, with dead letters and labels that name cards in clear, leaves no clear card id in any topic the scorer
 * writes (scores, alerts, dead letters, its changelogs), in its RocksDB state, in the cases index or in a log line.
 * Each place is also checked to hold the tokens, so that a search that finds nothing is a search that could have.
 */
class CardTokenizationIT {

    static final Duration WAIT = Duration.ofSeconds(180);
    static final String SECRET = "k1 " + java.util.Base64.getEncoder().encodeToString(
            "a card key for this test only, 32+ bytes".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path state;

    @Test
    void noClearCardIdReachesATopicAStoreTheIndexOrALogLine() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        PipelineTopics t = new PipelineTopics(stack, 2);
        CardTokens tokens = CardTokens.parse(SECRET, "test");

        // simulated payments whose card ids become 16-digit numbers, as an upstream that sends PANs would send them
        Map<String, String> clearOf = new HashMap<>();
        List<Transaction> valid = new ArrayList<>();
        for (Transaction sim : PipelineTopics.simulated(2, 100, 50, 5, 300)) {
            String clear = clearOf.computeIfAbsent(sim.getCardId(),
                    c -> String.format("4929%012d", 713_000_000L + clearOf.size()));
            valid.add(Transaction.newBuilder(sim).setCardId(clear).build());
        }
        Set<String> clearIds = new TreeSet<>(clearOf.values());
        Transaction sample = valid.get(0);
        String otherCard = "4929999999999999";
        String longCard = "4929" + "1".repeat(300);
        clearIds.add(otherCard);
        clearIds.add(longCard);
        Transaction unknownCurrency = Transaction.newBuilder(sample).setTransactionId("bad-currency")
                .setCurrency("XQQ").build();
        Transaction overLong = Transaction.newBuilder(sample).setTransactionId("long-card").setCardId(longCard).build();
        AvroSerde<FraudLabel> labelSerde = new AvroSerde<>(FraudLabel.class, t.registry, true);
        try (KafkaProducer<byte[], byte[]> producer = t.producer()) {
            for (Transaction tx : valid) {
                producer.send(t.record(tx));
            }
            producer.send(t.raw(otherCard, t.transactions.encode(t.topics.transactions(), sample))); // wrong key
            producer.send(t.record(unknownCurrency));
            producer.send(t.record(overLong));
            // an issuer's chargebacks, naming the cards in clear
            for (Transaction tx : valid.subList(0, 20)) {
                FraudLabel label = FraudLabel.newBuilder().setTransactionId(tx.getTransactionId())
                        .setCardId(tx.getCardId()).setIsFraud(true).setSource(LabelSource.CHARGEBACK)
                        .setLabeledBy("issuer").setLabeledTime(tx.getEventTime().plusSeconds(3600)).build();
                producer.send(new ProducerRecord<>(t.labels, tx.getCardId().getBytes(StandardCharsets.UTF_8),
                        labelSerde.encode(t.labels, label)));
            }
            producer.flush();
        }

        Path log = Path.of("target", "test.log");
        long logFrom = Files.exists(log) ? Files.size(log) : 0;
        Configurator.setLevel("dev.vigil", Level.DEBUG); // every line Vigil would ever write, not only INFO and up
        String applicationId = "it-tokens-" + UUID.randomUUID();
        String caseIndex = "it-cases-" + UUID.randomUUID();
        ScoringApp.Config config = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        stack.openSearchUrl(), SeededModel.directory(), state)
                .withApplicationId(applicationId)
                .withTopics(t.topics)
                .withExtras(t.extras())
                .withCaseIndex(caseIndex)
                .withCardTokens(tokens)
                // every payment alerts (and is explained), whatever the untrained model says: alerts are checked too
                .withScoring(new BatchScorer.Options(DecisionPolicy.alertsOnly(1e-9), 1e-9, 3, true));
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);
        AvroSerde<DeadLetter> letters = new AvroSerde<>(DeadLetter.class, t.registry);
        Set<String> expected = valid.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
        List<FraudScore> scored;
        List<DeadLetter> dead;
        OpenSearchHttp http = new OpenSearchHttp(stack.openSearchUrl());
        String indexed;
        try {
            try (ScoringApp app = ScoringApp.create(config, PipelineMetrics.prometheus())) {
                app.start(WAIT);
                scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                        read -> read.stream().map(FraudScore::getTransactionId).collect(Collectors.toSet())
                                .containsAll(expected), WAIT);
                dead = t.readCommitted(t.topics.dlq(), b -> letters.decode(t.topics.dlq(), b), read -> read.size() >= 3,
                        WAIT);
                indexed = awaitIndexed(http, caseIndex, expected.size());
            }
        } finally {
            Configurator.setLevel("dev.vigil", Level.INFO);
        }

        // the tokens are where the card ids were
        assertThat(scored.stream().map(FraudScore::getTransactionId).collect(Collectors.toSet())).isEqualTo(expected);
        Map<String, String> cardOfTx = valid.stream()
                .collect(Collectors.toMap(Transaction::getTransactionId, Transaction::getCardId, (a, b) -> a));
        for (FraudScore s : scored) {
            assertThat(s.getCardId()).isEqualTo(tokens.token(cardOfTx.get(s.getTransactionId())));
        }
        assertThat(dead).hasSize(3);
        for (DeadLetter d : dead) {
            String key = new String(bytes(d.getOriginalKey()), StandardCharsets.UTF_8);
            assertThat(tokens.isToken(key)).as("dead letter key %s (%s)", key, d.getErrorMessage()).isTrue();
            // the value is still a transaction a person can read and replay, with the card's token
            Transaction kept = t.transactions.decode(t.topics.transactions(), bytes(d.getOriginalValue()));
            assertThat(tokens.isToken(kept.getCardId())).isTrue();
        }

        // no clear card id anywhere, each place holding tokens
        String someToken = scored.get(0).getCardId();
        List<byte[]> needles = clearIds.stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).toList();
        // 1. every topic the scorer writes: its outputs and its changelogs (not upstream's transactions and labels)
        List<String> written = topicsOf(stack, name -> (name.startsWith(t.topics.scores().replace("scores", ""))
                && !name.equals(t.topics.transactions()) && !name.equals(t.labels)) || name.startsWith(applicationId));
        assertThat(written).contains(t.topics.scores(), t.topics.alerts(), t.topics.dlq());
        assertThat(written.stream().filter(n -> n.startsWith(applicationId) && n.endsWith("-changelog")))
                .as("the card-state changelog is scanned too").isNotEmpty();
        boolean tokenInTopics = false;
        for (String topic : written) {
            for (ConsumerRecord<byte[], byte[]> r : readAll(stack, topic)) {
                assertNoClearId(needles, r.key(), topic + " key at " + r.partition() + "@" + r.offset());
                assertNoClearId(needles, r.value(), topic + " value at " + r.partition() + "@" + r.offset());
                for (Header h : r.headers()) {
                    assertNoClearId(needles, h.value(), topic + " header " + h.key());
                }
                tokenInTopics |= contains(r.value(), someToken.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(tokenInTopics).isTrue();
        // 2. the RocksDB state the scorer left behind, read through RocksDB itself: an SST file stores a key as the
        //    part it does not share with the key before it, so a byte scan of the files would miss most keys
        int stores = 0;
        long entries = 0;
        boolean tokenInState = false;
        List<Path> databases;
        try (Stream<Path> files = Files.walk(state)) {
            databases = files.filter(f -> f.getFileName().toString().equals("CURRENT")).map(Path::getParent).toList();
        }
        org.rocksdb.RocksDB.loadLibrary();
        for (Path db : databases) {
            stores++;
            List<byte[]> families = org.rocksdb.RocksDB.listColumnFamilies(new org.rocksdb.Options(), db.toString());
            List<org.rocksdb.ColumnFamilyDescriptor> descriptors = families.stream()
                    .map(org.rocksdb.ColumnFamilyDescriptor::new).toList();
            List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
            try (org.rocksdb.DBOptions options = new org.rocksdb.DBOptions();
                 org.rocksdb.RocksDB rocks = org.rocksdb.RocksDB.openReadOnly(options, db.toString(), descriptors,
                         handles)) {
                for (org.rocksdb.ColumnFamilyHandle family : handles) {
                    try (org.rocksdb.RocksIterator it = rocks.newIterator(family)) {
                        for (it.seekToFirst(); it.isValid(); it.next()) {
                            entries++;
                            String where = "store " + state.relativize(db);
                            assertNoClearId(needles, it.key(), where + " key");
                            assertNoClearId(needles, it.value(), where + " value");
                            tokenInState |= contains(it.key(), someToken.getBytes(StandardCharsets.UTF_8));
                        }
                    } finally {
                        family.close();
                    }
                }
            }
        }
        assertThat(stores).as("RocksDB stores found under the state directory").isGreaterThanOrEqualTo(2);
        assertThat(entries).as("entries read from them").isPositive();
        assertThat(tokenInState).as("the card-history store is keyed by the tokens").isTrue();
        // 3. the cases index
        assertNoClearId(needles, indexed.getBytes(StandardCharsets.UTF_8), "cases index " + caseIndex);
        assertThat(indexed).contains(someToken);
        // 4. every log line of the run, Vigil's at DEBUG
        String logged = Files.readString(log, StandardCharsets.UTF_8).substring((int) Math.min(logFrom,
                Files.size(log)));
        assertThat(logged).as("the run logged something to scan").contains("to the dead-letter topic");
        for (String clear : clearIds) {
            assertThat(logged).as("log lines").doesNotContain(clear);
        }
    }

    /** The index's documents as JSON once it holds {@code cases} of them. */
    private static String awaitIndexed(OpenSearchHttp http, String index, int cases) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            try {
                http.send("POST", index + "/_refresh", null).join();
                var answer = http.send("POST", index + "/_search", "{\"size\": 1000, \"query\": {\"match_all\": {}}}")
                        .join();
                body = answer.toString();
                if (answer.path("hits").path("hits").size() >= cases) {
                    return body;
                }
            } catch (RuntimeException notYet) {
                // the index is created with the first case
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the cases index never held " + cases + " cases: " + body.length() + " chars");
    }

    private static List<String> topicsOf(LocalStack stack, java.util.function.Predicate<String> wanted)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.listTopics().names().get().stream().filter(wanted).sorted().toList();
        }
    }

    /** Every record of a topic, aborted ones included (read_uncommitted), from the beginning to its end. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(LocalStack stack, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static void assertNoClearId(List<byte[]> needles, byte[] hay, String where) {
        if (hay == null) {
            return;
        }
        for (byte[] needle : needles) {
            assertThat(contains(hay, needle)).as("a clear card id (%s...) in %s",
                    new String(needle, 0, 8, StandardCharsets.UTF_8), where).isFalse();
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        if (hay == null) {
            return false; // a tombstone
        }
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
