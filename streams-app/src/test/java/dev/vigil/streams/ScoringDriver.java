package dev.vigil.streams;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.model.scoring.SplitGraphs;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.streams.adapters.AdapterSlot;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.BatchScorer;
import dev.vigil.streams.scoring.InputReader;
import dev.vigil.streams.scoring.ScoringProcessor;
import dev.vigil.streams.scoring.ScoringTopology;
import dev.vigil.testkit.SeededModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scoring topology wired as {@link ScoringApp#create} wires it, on Kafka's {@link TopologyTestDriver}: no broker,
 * one task (partition 0, input offsets from 0), the production Streams settings ({@link ScoringApp#properties}, error
 * handlers included), the real seeded model ({@link SeededModel}: its int8 graph and the graph's halves, loaded once
 * per JVM), the real Avro serdes against a {@link FakeSchemaRegistry}, and a wall clock the test moves
 * ({@link #clock()}, from {@link #START}).
 *
 * <p>Retrieval is off, as with {@code --no-context}: every score is degraded {@code context_disabled}, so a score's
 * inputs depend on its payment and its card alone. The pending range is never read back from the input topic (a
 * driver restores no in-memory store); {@code UnscoredAfterRestartIT} covers that on a broker.
 */
public final class ScoringDriver implements AutoCloseable {

    /** Where the test clock starts; payments happen shortly before it. */
    public static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    /** A driver keeps no input topic to read back: no restored range is expected in these tests. */
    private static final InputReader NO_INPUT_TOPIC = (topic, partition, first, last) -> {
        throw new IllegalStateException("the test driver cannot read back " + topic + "-" + partition + " offsets "
                + first + ".." + last);
    };

    private final FakeSchemaRegistry registry;
    private final ScoringApp.Config config;
    private final AtomicLong clock = new AtomicLong(START.toEpochMilli());
    private final AdapterSlot adapters;
    private final PipelineMetrics metrics = PipelineMetrics.prometheus();
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> input;
    private final TestOutputTopic<byte[], byte[]> scores;
    private final TestOutputTopic<byte[], byte[]> alerts;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    /** The upstream payment system's serde, and the downstream readers' (their own registry client, as elsewhere). */
    private final AvroSerde<Transaction> upstream;
    private final AvroSerde<FraudScore> scoreReader;
    private final AvroSerde<FraudAlert> alertReader;
    private final AvroSerde<DeadLetter> letterReader;

    private ScoringDriver(Path stateDir, UnaryOperator<ScoringApp.Config> settings) throws IOException {
        registry = new FakeSchemaRegistry();
        try {
            config = settings.apply(ScoringApp.Config.defaults("unused:9092", registry.url(), null,
                    SeededModel.directory(), stateDir));
            Model model = Model.get();
            adapters = new AdapterSlot(model.first());
            ScoringTopology.Topics topics = config.topics();
            BatchScorer batchScorer = new BatchScorer(model.encoder(), model.scorer(), model.split(), adapters, null,
                    config.scoring(), model.modelVersion(), metrics, clock::get);
            // as ScoringApp.create: the scorer's own registry client, bounded fetches, writers registered up front
            ScoringProcessor.Shared shared = ScoringApp.wire(config, batchScorer, model.encoder(),
                    new SchemaRegistryClient(config.registryUrl()), metrics, clock::get, NO_INPUT_TOPIC);
            Properties properties = ScoringApp.properties(config, shared);
            driver = new TopologyTestDriver(ScoringTopology.build(shared), properties, START);

            input = driver.createInputTopic(topics.transactions(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            scores = output(topics.scores());
            alerts = output(topics.alerts());
            deadLetters = output(topics.dlq());
            SchemaRegistryClient outside = new SchemaRegistryClient(registry.url());
            upstream = new AvroSerde<>(Transaction.class, outside);
            scoreReader = new AvroSerde<>(FraudScore.class, outside, false);
            alertReader = new AvroSerde<>(FraudAlert.class, outside, false);
            letterReader = new AvroSerde<>(DeadLetter.class, outside, false);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /**
     * The scorer with {@code settings} applied to {@link ScoringApp.Config#defaults} (batching, limits, decision
     * policy...); the graph is always the int8 one on one CPU thread, the defaults'.
     */
    public static ScoringDriver start(Path stateDir, UnaryOperator<ScoringApp.Config> settings) throws IOException {
        return new ScoringDriver(stateDir, settings);
    }

    private TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A valid payment of {@code card} at {@code minutesBefore} minutes before {@link #START}: 12.34 EUR at merchant
     * m-1, online, from device d-{@code card}, in Berlin.
     */
    public static Transaction payment(String id, String card, int minutesBefore) {
        return Transaction.newBuilder()
                .setTransactionId(id)
                .setEventTime(START.minus(Duration.ofMinutes(minutesBefore)))
                .setCardId(card)
                .setMerchantId("m-1")
                .setAmountMinor(1_234)
                .setCurrency("EUR")
                .setMerchantCategory("5411")
                .setCountry("DE")
                .setChannel("online")
                .setDeviceId("d-" + card)
                .setLat(52.52)
                .setLon(13.40)
                .build();
    }

    /** Writes a payment as the upstream system does: keyed by its card, Avro in the wire format, arriving now. */
    public void send(Transaction t) {
        sendRaw(t.getCardId().getBytes(StandardCharsets.UTF_8), encode(t));
    }

    /** Writes any key and value bytes (null for none), arriving now. */
    public void sendRaw(byte[] key, byte[] value) {
        input.pipeInput(key, value, Instant.ofEpochMilli(clock.get()));
    }

    /** A payment as the upstream system encodes it (the 5-byte header, then the Avro body). */
    public byte[] encode(Transaction t) {
        return upstream.encode(config.topics().transactions(), t);
    }

    /**
     * Waits out the linger on the real clock (the processor measures a batch's wait with {@code System.nanoTime}) and
     * moves the driver's wall clock, so that the linger punctuation fires and scores the waiting batch.
     */
    public void lingerPasses() throws InterruptedException {
        Thread.sleep(config.linger().toMillis() + 1);
        driver.advanceWallClockTime(config.linger());
    }

    /** Moves the driver's wall clock alone (the punctuations are due by it), without waiting on the real clock. */
    public void advanceStreamClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    /** The scores written since the last call, in order. */
    public List<FraudScore> scores() {
        return read(scores, b -> scoreReader.decode(config.topics().scores(), b));
    }

    /** The alerts written since the last call, in order. */
    public List<FraudAlert> alerts() {
        return read(alerts, b -> alertReader.decode(config.topics().alerts(), b));
    }

    /** The dead letters written since the last call, in order. */
    public List<DeadLetter> deadLetters() {
        return read(deadLetters, b -> letterReader.decode(config.topics().dlq(), b));
    }

    /** The dead letters written since the last call, as Kafka records (their record keys, decoded values). */
    public List<KeyValue<byte[], DeadLetter>> deadLetterRecords() {
        List<KeyValue<byte[], DeadLetter>> letters = new ArrayList<>();
        for (KeyValue<byte[], byte[]> r : deadLetters.readKeyValuesToList()) {
            letters.add(KeyValue.pair(r.key, letterReader.decode(config.topics().dlq(), r.value)));
        }
        return letters;
    }

    private static <T> List<T> read(TestOutputTopic<byte[], byte[]> topic, Function<byte[], T> decode) {
        return topic.readValuesToList().stream().map(decode).toList();
    }

    /** The card's history in the {@code card-history} store, or null for a card never stored. */
    public CardHistory cardHistory(String card) {
        KeyValueStore<String, CardHistory> cards = driver.getKeyValueStore(ScoringProcessor.CARD_STORE);
        return cards.get(card);
    }

    /** Every entry of the {@code pending} store: keys and values as stored. */
    public List<KeyValue<byte[], byte[]>> pending() {
        KeyValueStore<byte[], byte[]> store = driver.getKeyValueStore(ScoringProcessor.PENDING_STORE);
        List<KeyValue<byte[], byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<byte[], byte[]> it = store.all()) {
            it.forEachRemaining(entries::add);
        }
        return entries;
    }

    /** A pending range as stored: the first and last input offset of the waiting batch. */
    public static long[] range(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        return new long[] {b.getLong(), b.getLong()};
    }

    /** The bytes of an Avro {@code bytes} field (null for none). */
    public static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    /** The wall clock the scorer reads (validation, duplicate window, scored time); the test moves it. */
    public AtomicLong clock() {
        return clock;
    }

    /** The serving adapter holder, as the adapter updater swaps it. */
    public AdapterSlot adapters() {
        return adapters;
    }

    /** The adapter the model directory serves first (version 1). */
    public LiveAdapter firstAdapter() {
        return Model.get().first();
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public ScoringApp.Config config() {
        return config;
    }

    /** The encoder the scorer computes features with. */
    public FeatureEncoder encoder() {
        return Model.get().encoder();
    }

    /** The model version stamped on every score: the first 12 characters of the base model's hash. */
    public String modelVersion() {
        return Model.get().modelVersion();
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            registry.close();
        }
    }

    /**
     * The seeded model as the scorer loads it, once per JVM for every driver and never closed (the JVM's exit frees
     * it): loading the graphs takes longer than most of the tests that use them.
     */
    private record Model(FeatureEncoder encoder, OnnxScorer scorer, SplitGraphs split, LiveAdapter first,
                         String modelVersion) {

        private static Model loaded;

        static synchronized Model get() {
            if (loaded == null) {
                try {
                    ModelDirectory dir = new ModelDirectory(SeededModel.directory()).requireServable();
                    Adapter adapter = dir.adapter();
                    ModelDirectory.AdapterIdentity identity = dir.adapterIdentity();
                    loaded = new Model(new FeatureEncoder(dir.featureSpec()),
                            OnnxScorer.load(dir.int8(), ScorerOptions.cpu(1), adapter),
                            SplitGraphs.load(dir, ScorerOptions.cpu(1)).orElseThrow(),
                            new LiveAdapter(identity.version(), identity.sequence(), adapter),
                            dir.baseModelHash().substring(0, 12));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return loaded;
        }
    }
}
