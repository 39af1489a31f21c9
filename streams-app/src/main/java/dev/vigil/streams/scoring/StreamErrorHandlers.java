package dev.vigil.streams.scoring;

import dev.vigil.schemas.DeadLetters;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.streams.metrics.PipelineMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer's answers to errors Kafka Streams hands back, so that no single record can stop scoring (a poison pill:
 * the task fails, its replacement reads the same record, and fails again, forever):
 * <ul>
 *   <li>{@link Production}: a record the producer refuses because of the record itself (too large, invalid, not
 *       serializable) is replaced by a small dead letter that says which topic refused what and why, and the stream
 *       goes on. A dead letter that is itself refused is counted and logged, never retried: no loop. Any other send
 *       error (the broker, authorization, a timeout) fails the task as before, to be retried by its replacement.</li>
 *   <li>{@link Processing}: an exception thrown while processing a record (the scoring step catches what it knows;
 *       this is the net under it) dead-letters that record and goes on.</li>
 * </ul>
 * Both are created by Kafka Streams from their class names; they find the dead-letter topic, serde and metrics under
 * {@link #CONFIG_KEY} in the Streams configuration.
 */
public final class StreamErrorHandlers {

    private static final Logger log = LoggerFactory.getLogger(StreamErrorHandlers.class);

    /** The Streams configuration key under which {@link ScoringApp} puts the {@link Sink}. */
    public static final String CONFIG_KEY = "vigil.dead.letter.sink";

    private StreamErrorHandlers() {
    }

    /** Where the handlers write their dead letters. */
    public record Sink(String topic, AvroSerde<DeadLetter> serde, PipelineMetrics metrics, String applicationId) {

        ProducerRecord<byte[], byte[]> letter(ErrorHandlerContext context, byte[] key, byte[] value, String stage,
                                              Exception error, String message) {
            DeadLetter letter = DeadLetters.of(new DeadLetters.Source(String.valueOf(context.topic()),
                            context.partition(), context.offset()), key, value, stage, error.getClass().getName(),
                    message, Instant.now(), applicationId);
            return new ProducerRecord<>(topic, DeadLetters.recordKey(key), serde.encode(topic, letter));
        }
    }

    private static Sink sink(Map<String, ?> configs) {
        Object sink = configs.get(CONFIG_KEY);
        if (!(sink instanceof Sink s)) {
            throw new IllegalStateException(CONFIG_KEY + " is not set in the Streams configuration");
        }
        return s;
    }

    /** Send failures caused by the record: a dead letter instead, never a loop. */
    public static final class Production implements ProductionExceptionHandler {

        private Sink sink;

        @Override
        public void configure(Map<String, ?> configs) {
            sink = sink(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                    Exception exception) {
            String error = exception.getClass().getSimpleName();
            sink.metrics().sendFailed(record.topic(), error);
            if (!(exception instanceof RecordTooLargeException || exception instanceof InvalidRecordException)) {
                return Response.fail();
            }
            int size = record.value() == null ? 0 : record.value().length;
            if (record.topic().equals(sink.topic())) { // a dead letter refused: say so, never send another
                log.error("the dead-letter topic {} refused a dead letter of {} bytes ({}); it is dropped, counted in "
                        + "vigil_send_failures_total", record.topic(), size, DeadLetters.cutText(
                        String.valueOf(exception.getMessage()), 300));
                return Response.resume();
            }
            String message = record.topic() + " refused a record of " + size + " bytes: " + exception.getMessage();
            log.warn("{}; a dead letter takes its place", DeadLetters.cutText(message, 300));
            sink.metrics().deadLetter("produce");
            return Response.resume(List.of(sink.letter(context, record.key(), null, "produce", exception, message)));
        }

        @Override
        public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record,
                                                 Exception exception, SerializationExceptionOrigin origin) {
            sink.metrics().sendFailed(record.topic(), exception.getClass().getSimpleName());
            String message = "cannot serialize the " + origin.name().toLowerCase() + " for " + record.topic() + ": "
                    + exception.getMessage();
            log.warn("{}; a dead letter takes its place", DeadLetters.cutText(message, 300));
            sink.metrics().deadLetter("produce");
            return Response.resume(List.of(sink.letter(context, null, null, "produce", exception, message)));
        }
    }

    /** An exception while processing a record: that record to the dead-letter topic, the stream goes on. */
    public static final class Processing implements ProcessingExceptionHandler {

        private Sink sink;

        @Override
        public void configure(Map<String, ?> configs) {
            sink = sink(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            byte[] key = record != null && record.key() instanceof byte[] k ? k : null;
            byte[] value = record != null && record.value() instanceof byte[] v ? v : null;
            String message = "processing failed in " + context.processorNodeId() + ": " + exception;
            log.error("{} (task {}, {}-{}@{}); the record goes to the dead-letter topic", DeadLetters.cutText(message,
                    300), context.taskId(), context.topic(), context.partition(), context.offset(), exception);
            sink.metrics().deadLetter(Rejected.Stage.SCORE.code());
            return Response.resume(List.of(sink.letter(context, key, value, Rejected.Stage.SCORE.code(), exception,
                    message)));
        }
    }
}
