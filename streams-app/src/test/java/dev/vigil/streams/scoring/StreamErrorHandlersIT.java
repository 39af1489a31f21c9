package dev.vigil.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.streams.metrics.PipelineMetrics;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The scorer's answers to the errors Kafka Streams hands back, with the real registry for the dead letters' schema
 * and an in-process fake of the context Kafka Streams would pass ({@link FakeErrorContext}).
 */
class StreamErrorHandlersIT {

    private static final String DLQ = "it-handlers-" + UUID.randomUUID() + ".dlq";

    @Test
    void aRefusedScoreBecomesADeadLetterARefusedDeadLetterIsDroppedAndOtherErrorsFail() {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        AvroSerde<DeadLetter> serde = new AvroSerde<>(DeadLetter.class,
                new SchemaRegistryClient(stack.schemaRegistryUrl()));
        PipelineMetrics metrics = PipelineMetrics.prometheus();
        StreamErrorHandlers.Production handler = new StreamErrorHandlers.Production();
        handler.configure(Map.of(StreamErrorHandlers.CONFIG_KEY, new StreamErrorHandlers.Sink(DLQ, serde, metrics,
                "it-app")));
        byte[] cardKey = "c".repeat(5000).getBytes();
        ProducerRecord<byte[], byte[]> score = new ProducerRecord<>("fraud.scores", cardKey, new byte[2_000_000]);

        ProductionExceptionHandler.Response tooLarge = handler.handleError(new FakeErrorContext(), score,
                new RecordTooLargeException("too large"));
        assertThat(tooLarge.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(tooLarge.deadLetterQueueRecords()).hasSize(1);
        ProducerRecord<byte[], byte[]> letter = tooLarge.deadLetterQueueRecords().get(0);
        assertThat(letter.topic()).isEqualTo(DLQ);
        assertThat(letter.key()).hasSize(1024);
        DeadLetter decoded = serde.decode(DLQ, letter.value());
        assertThat(decoded.getStage()).isEqualTo("produce");
        assertThat(decoded.getErrorMessage()).contains("fraud.scores refused a record of 2000000 bytes");
        assertThat(decoded.getOriginalValue()).isNull();
        assertThat(decoded.getOriginalKeyLength()).isEqualTo(5000);
        assertThat(decoded.getTruncated()).isTrue();
        assertThat(decoded.getSourceTopic()).isEqualTo("payments.transactions");
        assertThat(decoded.getSourceOffset()).isEqualTo(42);

        // a dead letter refused in turn: counted and dropped, never another dead letter (no loop)
        ProductionExceptionHandler.Response refusedLetter = handler.handleError(new FakeErrorContext(), letter,
                new RecordTooLargeException("too large"));
        assertThat(refusedLetter.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(refusedLetter.deadLetterQueueRecords()).isEmpty();

        // an error that is not the record's fault fails the task, to be retried by its replacement
        assertThat(handler.handleError(new FakeErrorContext(), score, new TimeoutException("broker away")).result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
        // each refusal counted under its topic and error
        assertThat(metrics.registry().get("vigil.send.failures").counters()).hasSize(3)
                .allSatisfy(c -> assertThat(c.count()).isEqualTo(1.0));

        StreamErrorHandlers.Processing processing = new StreamErrorHandlers.Processing();
        processing.configure(Map.of(StreamErrorHandlers.CONFIG_KEY, new StreamErrorHandlers.Sink(DLQ, serde, metrics,
                "it-app")));
        ProcessingExceptionHandler.Response failed = processing.handleError(new FakeErrorContext(),
                new Record<>("c1".getBytes(), new byte[] {1, 2, 3}, 0L), new IllegalStateException("boom"));
        assertThat(failed.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        DeadLetter processed = serde.decode(DLQ, failed.deadLetterQueueRecords().get(0).value());
        assertThat(processed.getStage()).isEqualTo("score");
        assertThat(processed.getErrorMessage()).contains("boom");
        assertThat(processed.getOriginalValue().remaining()).isEqualTo(3);
    }

    /** What Kafka Streams passes a handler: the input record being processed, at payments.transactions-0@42. */
    private static final class FakeErrorContext implements ErrorHandlerContext {
        @Override
        public String topic() {
            return "payments.transactions";
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        public long offset() {
            return 42;
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "score";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    }
}
