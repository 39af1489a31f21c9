package dev.vigil.schemas.serde;

import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro values in the Confluent wire format: byte 0x00, the writer schema's 4-byte big-endian registry id, then the
 * Avro binary body. The subject is {@code <topic>-value}. Reading resolves the writer schema (fetched by id, cached)
 * against this class's schema, so a consumer reads every backward-compatible version. Thread-safe: one instance can
 * serve every stream thread.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    static {
        AvroLimits.install(); // before the first decode: Avro reads its length limits once
    }

    public static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_LENGTH = 5;

    private final Class<T> type;
    private final Schema readerSchema;
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Map<String, Integer> writerIdByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
    private final SpecificDatumWriter<T> writer;

    /**
     * @param autoRegister register the schema on first write (true for producers we own); when false the schema must
     *                     already be registered under the subject, as in a governed production registry
     */
    public AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister) {
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.writer = new SpecificDatumWriter<>(readerSchema);
    }

    public AvroSerde(Class<T> type, SchemaRegistryClient registry) {
        this(type, registry, true);
    }

    /** How long a decode waits for an unknown writer schema, or null to wait as long as the registry client does. */
    private volatile Duration fetchWait;
    /** After a failed fetch, how long records of that schema id fail at once before the registry is asked again. */
    private volatile Duration fetchBackoff = Duration.ofSeconds(10);
    private final Map<Integer, Fetch<T>> fetches = new ConcurrentHashMap<>();

    /** A writer schema being fetched, and until when a decode waits for it. */
    private record Fetch<T extends SpecificRecord>(CompletableFuture<SpecificDatumReader<T>> future, long deadlineNanos) {}
    private final Map<Integer, Long> retryAfterNanos = new ConcurrentHashMap<>();

    private static final ExecutorService FETCHER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vigil-schema-fetch");
        t.setDaemon(true);
        return t;
    });

    /**
     * Never blocks a caller longer than {@code wait} for a writer schema it has not seen (a stream thread must not stall
     * behind a slow or frozen registry): the schema is fetched off the caller's thread; a decode that cannot have it
     * within {@code wait} of the fetch's start fails with a {@link SerializationException} that says so (its record
     * becomes a dead letter); past that deadline, records of the same id fail at once while the fetch runs, and for
     * {@code backoff} after a failed fetch.
     * Schemas seen once stay cached. Returns this serde.
     */
    public AvroSerde<T> boundFetches(Duration wait, Duration backoff) {
        this.fetchWait = wait;
        this.fetchBackoff = backoff;
        return this;
    }

    /**
     * Fetches every writer schema registered for the topic now, so that decoding its records needs the registry only
     * for a schema registered later. Call before the stream starts; throws if the registry does not answer.
     */
    public void warmReaders(String topic) {
        registry.schemasOf(subject(topic)).forEach((id, writerSchema) ->
                readersByWriterId.computeIfAbsent(id, i -> new SpecificDatumReader<>(writerSchema, readerSchema)));
    }

    /** Registers (or looks up) the topic's writer schema now, so that encoding never calls the registry later. */
    public void warmWriter(String topic) {
        writerId(topic);
    }

    private int writerId(String topic) {
        return writerIdByTopic.computeIfAbsent(topic, t -> autoRegister
                ? registry.register(subject(t), readerSchema)
                : registry.lookup(subject(t), readerSchema));
    }

    public static String subject(String topic) {
        return topic + "-value";
    }

    /** Encodes a record for the topic: registers (or looks up) the schema once per topic. */
    public byte[] encode(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = writerId(topic);
        Scratch scratch = SCRATCH.get();
        scratch.out.reset();
        ByteArrayOutputStream out = scratch.out;
        out.write(MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        scratch.encoder = EncoderFactory.get().directBinaryEncoder(out, scratch.encoder);
        try {
            writer.write(record, scratch.encoder);
            scratch.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > Scratch.KEEP) {
            SCRATCH.remove(); // a rare big record (a dead letter) must not keep its buffer alive in every thread
        }
        return bytes;
    }

    /**
     * Each thread's output buffer and encoder, reused by every encode on that thread: a score is about 2 KB, and a
     * fresh stream that grows to it copies it four times over.
     */
    private static final class Scratch {
        static final int KEEP = 64 * 1024;
        final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        BinaryEncoder encoder;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Decodes wire-format bytes; a clear SerializationException for anything that is not one of ours. */
    public T decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new SerializationException("record on " + topic + " is " + bytes.length
                    + " bytes, shorter than the 5-byte Confluent wire-format header");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "record on %s does not start with the Confluent magic byte 0x00 (found 0x%02x): not Avro from a registry-aware producer",
                    topic, bytes[0]));
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        SpecificDatumReader<T> reader = reader(topic, id);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
        try {
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("record on " + topic + " has " + "trailing bytes after the "
                        + type.getSimpleName() + " body (schema id " + id + ")");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("cannot decode " + type.getSimpleName() + " from " + topic
                    + " with writer schema id " + id + ": " + e, e);
        }
    }

    private SpecificDatumReader<T> reader(String topic, int id) {
        SpecificDatumReader<T> known = readersByWriterId.get(id);
        if (known != null) {
            return known;
        }
        Duration wait = fetchWait;
        if (wait == null) {
            return readersByWriterId.computeIfAbsent(id, this::readerFor);
        }
        Fetch<T> fetch = fetches.compute(id, (i, running) -> {
            boolean retry = running == null || running.future().isCompletedExceptionally()
                    && System.nanoTime() - retryAfterNanos.getOrDefault(i, 0L) > 0;
            if (!retry) {
                return running;
            }
            CompletableFuture<SpecificDatumReader<T>> f = CompletableFuture.supplyAsync(() -> readerFor(i), FETCHER);
            f.whenComplete((reader, error) -> {
                if (reader != null) {
                    readersByWriterId.put(i, reader);
                } else {
                    retryAfterNanos.put(i, System.nanoTime() + fetchBackoff.toNanos());
                }
            });
            return new Fetch<>(f, System.nanoTime() + wait.toNanos());
        });
        try {
            // every record of this schema waits until the fetch's deadline at most, then fails at once
            return fetch.future().get(Math.max(0, fetch.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SerializationException("writer schema id " + id + " of a record on " + topic + " is not known "
                    + "here and the schema registry has not answered within " + wait.toMillis() + " ms (the fetch "
                    + "goes on; later records of this schema are read once it answers)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("writer schema id " + id + " of a record on " + topic + " is not known "
                    + "here and the schema registry failed: " + cause.getMessage() + " (asked again after "
                    + fetchBackoff.toSeconds() + " s)", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerializationException("interrupted while fetching writer schema id " + id, e);
        }
    }

    private SpecificDatumReader<T> readerFor(int writerId) {
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(writerId);
        } catch (SchemaRegistryException.NotFound e) {
            throw new SerializationException("writer schema id " + writerId + " is unknown to the registry: "
                    + "the record was not written against this registry", e);
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> encode(topic, data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> decode(topic, data);
    }

    public Class<T> type() {
        return type;
    }
}
