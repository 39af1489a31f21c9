package dev.vigil.cli.chaos;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.ReleaseRecords;
import dev.vigil.model.adapter.ReleaseSigning;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.model.adapter.UnsignedRelease;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.AdapterTensor;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.generate.PaymentSimulator;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.simulator.replay.TransactionReplayer;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.LoopbackPorts;
import dev.vigil.stack.Service;
import dev.vigil.stack.StackOptions;
import dev.vigil.stack.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code ./vigil chaos} run: the local stack, two scorer processes sharing the work, a paced load of simulated
 * payments, and each fault in turn, while every score and dead letter is read back (read_committed) into a
 * {@link Ledger}. See {@link ChaosCommand} for what is printed.
 */
final class ChaosRun {

    private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);
    private static final Pattern REJECTION = Pattern.compile(
            "vigil_adapter_rejections_total\\{[^}]*reason=\"([a-z_]+)\"[^}]*} ([0-9.eE+]+)");
    private static final Pattern LIVE = Pattern.compile("vigil_adapter_live\\{[^}]*version=\"([^\"]+)\"[^}]*} 1\\.0");

    /** How long before its fault a fault's window of payments starts. */
    static final long WINDOW_LEAD_MILLIS = 1_000;

    /** The run's settings; see {@link ChaosCommand}'s options. */
    record Settings(Path model, Path workDir, int rate, Duration hold, Duration settle, long seed) {}

    /** Injects a fault, holds it and heals it, setting {@code healed} when it is healed; returns a note. */
    private interface FaultBody {
        String run(AtomicReference<Long> healed) throws Exception;
    }

    private record Fault(String name, FaultBody body) {}

    private final Settings settings;
    private final PrintStream out;
    private final Ledger ledger = new Ledger();
    private final AtomicBoolean loadOn = new AtomicBoolean(true);
    private final AtomicBoolean readersOn = new AtomicBoolean(true);
    private LocalStack stack;
    private ScorerProcess a;
    private ScorerProcess b;
    private KeyPair signer;
    private ModelDirectory model;
    private AvroSerde<Transaction> transactions;
    private volatile Transaction lastSent;

    ChaosRun(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs every fault and returns the table's rows. */
    List<Ledger.Row> run() throws Exception {
        model = new ModelDirectory(settings.model()).requireServable();
        out.println("chaos: starting the local stack in " + settings.workDir().resolve("stack") + " ...");
        stack = LocalStack.start(StackOptions.in(settings.workDir().resolve("stack")).withWipe(true));
        List<Thread> threads = new ArrayList<>();
        try {
            stack.createTopics(Topics.ALL.stream().map(t -> new TopicSpec(t.name(), t.partitions(), t.compacted()))
                    .toList());
            SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
            Topics.registerValueSchemas(registry);
            transactions = new AvroSerde<>(Transaction.class, registry, true);
            signer = SigningKeys.generate();
            Path keys = settings.workDir().resolve("keys");
            SigningKeys.writePrivateKey(keys.resolve("adapters.key"), signer.getPrivate());
            SigningKeys.writePublicKey(keys.resolve("adapters.pub"), signer.getPublic());
            List<String> args = List.of("--model", settings.model().toAbsolutePath().toString(),
                    "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry", stack.schemaRegistryUrl(),
                    "--opensearch", stack.openSearchUrl(), "--application-id", "vigil-chaos",
                    "--trusted-key", keys.resolve("adapters.pub").toAbsolutePath().toString());
            a = new ScorerProcess("scorer-a", settings.workDir(), LoopbackPorts.freePort(), args);
            b = new ScorerProcess("scorer-b", settings.workDir(), LoopbackPorts.freePort(), args);
            a.start();
            b.start();
            out.println("chaos: two scorers starting (logs " + a.log() + ", " + b.log() + ") ...");
            requireUp(a);
            requireUp(b);

            threads.add(daemon("chaos-scores", () -> readScores(registry)));
            threads.add(daemon("chaos-feeder", this::feed));
            threads.forEach(Thread::start);
            out.printf("chaos: %d payments/s offered; warming up for %d s%n", settings.rate(),
                    settings.settle().toSeconds());
            Thread.sleep(settings.settle().toMillis());

            List<Fault> faults = faults();
            long[] starts = new long[faults.size()];
            long[] heals = new long[faults.size()];
            String[] notes = new String[faults.size()];
            for (int i = 0; i < faults.size(); i++) {
                Fault fault = faults.get(i);
                out.printf("chaos: fault %d of %d: %s%n", i + 1, faults.size(), fault.name());
                starts[i] = System.currentTimeMillis();
                AtomicReference<Long> healed = new AtomicReference<>(starts[i]);
                try {
                    notes[i] = fault.body().run(healed);
                } catch (Exception e) {
                    notes[i] = "fault could not be run: " + e;
                    log.warn("fault {} failed", fault.name(), e);
                }
                heals[i] = healed.get();
                Thread.sleep(settings.settle().toMillis());
            }
            long loadEnd = System.currentTimeMillis();
            loadOn.set(false);
            out.println("chaos: load stopped; waiting for every payment's score ...");
            drain(Duration.ofSeconds(180));
            List<Ledger.Row> rows = new ArrayList<>();
            for (int i = 0; i < faults.size(); i++) {
                // a payment produced just before a fault is still in an open transaction when it strikes:
                // each window starts a second before its fault
                long end = i + 1 < faults.size() ? starts[i + 1] - WINDOW_LEAD_MILLIS : loadEnd;
                rows.add(ledger.row(faults.get(i).name(), starts[i] - WINDOW_LEAD_MILLIS, starts[i], heals[i], end,
                        notes[i]));
            }
            String healthA = a.health();
            String healthB = b.health();
            if (!healthA.startsWith("UP") || !healthB.startsWith("UP")) {
                out.println("chaos: at the end, /health of scorer-a: " + healthA + "; scorer-b: " + healthB);
            }
            return rows;
        } finally {
            loadOn.set(false);
            readersOn.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
            closeQuietly(a);
            closeQuietly(b);
            stack.close();
        }
    }

    Ledger ledger() {
        return ledger;
    }

    private List<Fault> faults() {
        List<Fault> faults = new ArrayList<>();
        faults.add(new Fault("poison and malformed records", healed -> poison()));
        faults.add(new Fault("adapter attacks", healed -> adapterAttacks()));
        faults.add(new Fault("scorer-a SIGKILL, restarted (1 of 3)", healed -> killAndRestart(a, healed)));
        faults.add(new Fault("scorer-b SIGKILL, restarted (2 of 3)", healed -> killAndRestart(b, healed)));
        faults.add(new Fault("scorer-a SIGKILL, restarted (3 of 3)", healed -> killAndRestart(a, healed)));
        faults.add(new Fault("scorer-b killed, scorer-a alone", healed -> {
            b.kill();
            Thread.sleep(settings.hold().multipliedBy(2).toMillis());
            b.start();
            healed.set(System.currentTimeMillis());
            requireUp(b);
            return "scorer-a alone for " + settings.hold().multipliedBy(2).toSeconds() + " s";
        }));
        faults.add(new Fault("OpenSearch hung (SIGSTOP)", healed -> hang(Service.OPENSEARCH, healed)));
        faults.add(new Fault("OpenSearch killed, restarted", healed -> {
            signal("KILL", stack.pid(Service.OPENSEARCH).orElseThrow());
            Duration took = stack.restart(Service.OPENSEARCH);
            healed.set(System.currentTimeMillis());
            return "back after " + took.toSeconds() + " s";
        }));
        faults.add(new Fault("schema registry hung (SIGSTOP)", healed -> hang(Service.SCHEMA_REGISTRY, healed)));
        faults.add(new Fault("broker restart", healed -> {
            Duration took = stack.restart(Service.KAFKA);
            healed.set(System.currentTimeMillis());
            return "broker back after " + took.toSeconds() + " s";
        }));
        return faults;
    }

    private String killAndRestart(ScorerProcess scorer, AtomicReference<Long> healed) throws Exception {
        scorer.kill();
        scorer.start();
        long begin = System.currentTimeMillis();
        requireUp(scorer);
        healed.set(System.currentTimeMillis());
        return scorer.name() + " up again after " + (System.currentTimeMillis() - begin) / 1000 + " s";
    }

    private String hang(Service service, AtomicReference<Long> healed) throws Exception {
        long pid = stack.pid(service).orElseThrow();
        signal("STOP", pid);
        try {
            Thread.sleep(settings.hold().toMillis());
        } finally {
            signal("CONT", pid);
        }
        healed.set(System.currentTimeMillis());
        return "hung " + settings.hold().toSeconds() + " s";
    }

    /**
     * Each poison kind of issue 13 mid-stream: a 540 KB card id, a million-byte value that is not Avro, a string
     * length bomb, amounts 10^15 and 0, currency XXX, an event time in 1971, and a payment sent again.
     */
    private String poison() throws Exception {
        Transaction sample = lastSent;
        if (sample == null) {
            throw new IllegalStateException("no payment sent yet");
        }
        String topic = Topics.TRANSACTIONS;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(record(Transaction.newBuilder(sample).setTransactionId("poison-huge-card")
                .setCardId("c".repeat(540_000)).build()));
        byte[] notAvro = new byte[1_000_000];
        Arrays.fill(notAvro, (byte) 'n');
        records.add(new ProducerRecord<>(topic, bytes(sample.getCardId()), notAvro));
        byte[] framed = transactions.encode(topic, sample);
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(framed, 0, 5);
        bomb.write(new byte[] {(byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e, 'x'}); // a 2e9-byte string
        records.add(new ProducerRecord<>(topic, bytes(sample.getCardId()), bomb.toByteArray()));
        records.add(record(Transaction.newBuilder(sample).setTransactionId("poison-amount-1e15")
                .setAmountMinor(1_000_000_000_000_000L).build()));
        records.add(record(Transaction.newBuilder(sample).setTransactionId("poison-amount-0").setAmountMinor(0)
                .build()));
        records.add(record(Transaction.newBuilder(sample).setTransactionId("poison-xxx").setCurrency("XXX").build()));
        records.add(record(Transaction.newBuilder(sample).setTransactionId("poison-1971")
                .setEventTime(Instant.parse("1971-01-01T00:00:00Z")).build()));
        records.add(record(sample)); // the same payment again: no second score, a dead letter `duplicate`
        Properties p = producerProperties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get(60, TimeUnit.SECONDS);
            }
        }
        return records.size() + " sent";
    }

    /**
     * Releases 2 and 3, signed and sealed, then every attack: no seal (a 94-byte length bomb), a stranger's seal,
     * altered after sealing, another base model, a NaN, and release 2 replayed. Both scorers must end on release 3.
     */
    private String adapterAttacks() throws Exception {
        String topic = Topics.ADAPTERS;
        AvroSerde<AdapterRelease> serde = new AvroSerde<>(AdapterRelease.class,
                new SchemaRegistryClient(stack.schemaRegistryUrl()), true);
        String keyId = SigningKeys.keyId(signer.getPublic());
        String base = model.baseModelHash();
        UnsignedRelease first = UnsignedRelease.fromModelDirectory(model);
        AdapterRelease two = release(first, "2", 2);
        AdapterRelease three = release(first, "3", 3);
        KeyPair stranger = SigningKeys.generate();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(ReleaseRecords.record(topic, two, serde.encode(topic, two), signer.getPrivate(), keyId));
        records.add(ReleaseRecords.record(topic, three, serde.encode(topic, three), signer.getPrivate(), keyId));
        // no seal: an unguarded decoder would read 2^31 - 1 tensors here
        byte[] header = Arrays.copyOf(serde.encode(topic, three), 5);
        records.add(new ProducerRecord<>(topic, bytes(ReleaseRecords.key(base, 99)), lengthBomb(header, base)));
        AdapterRelease nine = release(first, "9", 9);
        records.add(ReleaseRecords.record(topic, nine, serde.encode(topic, nine), stranger.getPrivate(),
                SigningKeys.keyId(stranger.getPublic())));
        byte[] altered = serde.encode(topic, nine);
        ProducerRecord<byte[], byte[]> sealed = ReleaseRecords.record(topic, nine, altered, signer.getPrivate(), keyId);
        altered[altered.length - 1] ^= 1;
        records.add(new ProducerRecord<>(topic, null, sealed.key(), altered, sealed.headers()));
        AdapterRelease otherBase = ReleaseSigning.sign(first.toAvro().setVersion("10").setSequence(10)
                .setBaseModelHash("f".repeat(64)), signer.getPrivate(), keyId);
        records.add(sealedUnder(topic, ReleaseRecords.key(base, 10), serde.encode(topic, otherBase), keyId));
        AdapterRelease.Builder nan = first.toAvro().setVersion("11").setSequence(11);
        List<AdapterTensor> tensors = new ArrayList<>(nan.getTensors());
        ByteBuffer data = ByteBuffer.allocate(tensors.get(0).getData().remaining()).order(ByteOrder.LITTLE_ENDIAN);
        data.put(tensors.get(0).getData().duplicate()).flip();
        data.putFloat(0, Float.NaN);
        tensors.set(0, AdapterTensor.newBuilder(tensors.get(0)).setData(data).build());
        AdapterRelease withNan = ReleaseSigning.sign(nan.setTensors(tensors), signer.getPrivate(), keyId);
        records.add(ReleaseRecords.record(topic, withNan, serde.encode(topic, withNan), signer.getPrivate(), keyId));
        records.add(ReleaseRecords.record(topic, two, serde.encode(topic, two), signer.getPrivate(), keyId));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get(60, TimeUnit.SECONDS);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Integer> rejectedA = Map.of();
        Map<String, Integer> rejectedB = Map.of();
        String liveA = "?";
        String liveB = "?";
        while (System.nanoTime() < deadline) {
            String metricsA = a.metrics();
            String metricsB = b.metrics();
            rejectedA = rejections(metricsA);
            rejectedB = rejections(metricsB);
            liveA = live(metricsA);
            liveB = live(metricsB);
            if ("3".equals(liveA) && "3".equals(liveB) && total(rejectedA) >= 6 && total(rejectedB) >= 6) {
                break;
            }
            Thread.sleep(500);
        }
        return "live " + liveA + " on scorer-a, " + liveB + " on scorer-b; refused " + rejectedA;
    }

    private AdapterRelease release(UnsignedRelease first, String version, long sequence) {
        return new UnsignedRelease(first.adapter(), version, "1", sequence, first.baseModelHash(), Instant.now(),
                Map.of(), "chaos drill").signWith(signer.getPrivate(), SigningKeys.keyId(signer.getPublic()));
    }

    private ProducerRecord<byte[], byte[]> sealedUnder(String topic, String key, byte[] value, String keyId) {
        byte[] k = bytes(key);
        return new ProducerRecord<>(topic, null, k, value, ReleaseRecords.seal(k, value, signer.getPrivate(), keyId));
    }

    /**
     * 94 bytes of an AdapterRelease: the registry {@code header} of its schema, the fixed fields, then a tensors
     * block count of 2^31 - 1.
     */
    private static byte[] lengthBomb(byte[] header, String base) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(new byte[] {2, '2', 0, 4}); // version "2", no parent, sequence 2
        out.write(128);
        out.write(1);
        out.writeBytes(base.substring(0, 64).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 8, 0, 0, 0, 0x41}); // created 0, rank 4, alpha 8
        out.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
        return Arrays.copyOf(out.toByteArray(), 94);
    }

    private static Map<String, Integer> rejections(String metrics) {
        Map<String, Integer> found = new TreeMap<>();
        Matcher m = REJECTION.matcher(metrics);
        while (m.find()) {
            int count = (int) Double.parseDouble(m.group(2));
            if (count > 0) {
                found.put(m.group(1), count);
            }
        }
        return found;
    }

    private static String live(String metrics) {
        Matcher m = LIVE.matcher(metrics);
        return m.find() ? m.group(1) : "?";
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Simulated payments at the offered rate, each with a new id and the current time, until the load stops. */
    private void feed() {
        Iterator<Transaction> simulated = simulated(settings.seed());
        long intervalNanos = 1_000_000_000L / settings.rate();
        long next = System.nanoTime();
        long n = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            while (loadOn.get()) {
                if (!simulated.hasNext()) {
                    simulated = simulated(settings.seed() + n);
                }
                Instant now = Instant.now();
                Transaction tx = Transaction.newBuilder(simulated.next()).setTransactionId("chaos-" + n++)
                        .setEventTime(now).build();
                ledger.produced(tx.getTransactionId(), now.toEpochMilli());
                producer.send(record(tx));
                lastSent = tx;
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else if (wait < -1_000_000_000L) {
                    next = System.nanoTime(); // a long block (the broker away): carry on at the rate, no burst
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("the chaos feeder stopped", e);
        }
    }

    private static Iterator<Transaction> simulated(long seed) {
        return new PaymentSimulator(SimulationConfig.of(365, 2_000, 200, seed)).transactions()
                .map(TransactionReplayer::toTransaction).iterator();
    }

    /** Reads fraud.scores and fraud.dlq from the beginning, read_committed, into the ledger. */
    private void readScores(SchemaRegistryClient registry) {
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, registry, false);
        AvroSerde<DeadLetter> letters = new AvroSerde<>(DeadLetter.class, registry, false);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int i = 0; i < Topics.spec(Topics.SCORES).partitions(); i++) {
                partitions.add(new TopicPartition(Topics.SCORES, i));
            }
            partitions.add(new TopicPartition(Topics.DLQ, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (readersOn.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    try {
                        if (r.topic().equals(Topics.SCORES)) {
                            FraudScore s = scores.decode(r.topic(), r.value());
                            ledger.scored(new Ledger.Score(s.getTransactionId(), r.partition(), now,
                                    s.getContextDegraded(), s.getAdapterVersion()));
                        } else {
                            DeadLetter d = letters.decode(r.topic(), r.value());
                            ledger.deadLetter(new Ledger.DeadLetterSeen(d.getStage(), d.getErrorMessage(), now));
                        }
                    } catch (RuntimeException e) {
                        log.warn("chaos reader cannot read {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                e.toString());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("the chaos reader stopped", e);
        }
    }

    /** Waits until every produced payment has a score (or {@code timeout}), then 5 s more for any duplicate. */
    private void drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ledger.missing() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Thread.sleep(5_000);
    }

    private void requireUp(ScorerProcess scorer) throws InterruptedException {
        if (!scorer.awaitUp(Duration.ofSeconds(180))) {
            throw new IllegalStateException(scorer.name() + " did not come up within 180 s: " + scorer.health()
                    + " (log " + scorer.log() + ")");
        }
    }

    private ProducerRecord<byte[], byte[]> record(Transaction tx) {
        return new ProducerRecord<>(Topics.TRANSACTIONS, bytes(tx.getCardId()),
                transactions.encode(Topics.TRANSACTIONS, tx));
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        return p;
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(ScorerProcess scorer) {
        if (scorer == null) {
            return;
        }
        try {
            scorer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
