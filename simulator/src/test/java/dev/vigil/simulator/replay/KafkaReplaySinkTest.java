package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaReplaySinkTest {

    @TempDir
    Path dir;

    private FakeSchemaRegistry registry;
    private AvroSerde<Transaction> transactions;
    private AvroSerde<FraudLabel> labels;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = new FakeSchemaRegistry();
        SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
        transactions = new AvroSerde<>(Transaction.class, client);
        labels = new AvroSerde<>(FraudLabel.class, client);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private Path history() throws IOException {
        List<dev.vigil.schemas.csv.CsvTransaction> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(Rows.row("t" + (49 - i), 49 - i, "c" + (i % 4), i % 10 == 0 ? 1 : 0));
        }
        return Rows.write(dir.resolve("h.csv"), rows);
    }

    @Test
    void publishesAvroKeyedByCardOnTheReplayTopicsWithSendTimeTimestamps() throws IOException {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        ReplayTopics topics = new ReplayTopics("tx-test", "labels-test");
        KafkaReplaySink sink = new KafkaReplaySink(producer, transactions, labels, topics, RecordTimestamps.WALL_CLOCK);
        // chargebacks only: the sink is under test, not which frauds are reported
        ReplayOptions options = ReplayOptions.defaults().withCardholderReports(CardholderReports.none())
                .withLabelDelay(Duration.ofMinutes(5));
        ReplayReport report = new TransactionReplayer(sink, options,
                ReplayProgress.SILENT).replay(history(), new BadRowLog());

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).hasSize(55);
        assertThat(sink.acknowledged()).isEqualTo(55);
        assertThat(report.labelsPublished()).isEqualTo(5);
        for (ProducerRecord<String, byte[]> record : sent) {
            assertThat(record.timestamp()).isNull(); // the producer stamps its own clock
            if (record.topic().equals("tx-test")) {
                Transaction t = transactions.decode(record.topic(), record.value());
                assertThat(record.key()).isEqualTo(t.getCardId());
            } else {
                assertThat(record.topic()).isEqualTo("labels-test");
                FraudLabel l = labels.decode(record.topic(), record.value());
                assertThat(record.key()).isEqualTo(l.getCardId());
            }
        }
        assertThat(transactions.decode("tx-test", sent.get(0).value()).getTransactionId()).isEqualTo("t0");
        assertThat(producer.flushed()).isTrue();
    }

    @Test
    void stampsEventTimesWhenAsked() throws IOException {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        KafkaReplaySink sink = new KafkaReplaySink(producer, transactions, labels, ReplayTopics.DEFAULT,
                RecordTimestamps.EVENT_TIME);
        new TransactionReplayer(sink, ReplayOptions.defaults().withCardholderReports(CardholderReports.none())
                .withLabelDelay(Duration.ofMinutes(5)),
                ReplayProgress.SILENT).replay(history(), new BadRowLog());
        for (ProducerRecord<String, byte[]> record : producer.history()) {
            if (record.topic().equals(ReplayTopics.DEFAULT.transactions())) {
                assertThat(record.timestamp()).isEqualTo(
                        transactions.decode(record.topic(), record.value()).getEventTime().toEpochMilli());
            } else {
                assertThat(record.timestamp()).isEqualTo(
                        labels.decode(record.topic(), record.value()).getLabeledTime().toEpochMilli());
            }
        }
    }

    @Test
    void aFailedSendStopsTheReplayInsteadOfDroppingRecords() {
        MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
                new ByteArraySerializer());
        KafkaReplaySink sink = new KafkaReplaySink(producer, transactions, labels, ReplayTopics.DEFAULT,
                RecordTimestamps.WALL_CLOCK);
        sink.transaction(dev.vigil.simulator.replay.TransactionReplayer.toTransaction(Rows.row("t1", 0, "c1", 0)));
        producer.errorNext(new NotEnoughReplicasException("not enough replicas"));
        assertThatThrownBy(() -> sink.transaction(TransactionReplayer.toTransaction(Rows.row("t2", 1, "c1", 0))))
                .isInstanceOf(KafkaException.class).hasMessageContaining("not enough replicas");
        assertThatThrownBy(sink::flush).isInstanceOf(KafkaException.class);
    }
}
