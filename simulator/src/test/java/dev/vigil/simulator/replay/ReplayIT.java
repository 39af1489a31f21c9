package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.Money;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.ReplayCommand;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.TopicSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./vigil replay} against the real broker and registry of the local stack. */
class ReplayIT {

    private static final Duration LABEL_DELAY = Duration.ofDays(1);

    private static LocalStack stack;

    @TempDir
    Path dir;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
    }

    /** 400 payments of 25 cards over 4 days, ~6% fraud, shuffled on disk; two bad rows at the end. */
    private static List<CsvTransaction> history(Random random) {
        Instant start = Instant.parse("2026-02-01T00:00:00Z");
        List<CsvTransaction> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Instant time = start.plusSeconds(random.nextInt(4 * 86_400));
            String card = "card-" + random.nextInt(25);
            boolean fraud = random.nextDouble() < 0.06;
            rows.add(new CsvTransaction("tx-" + i, time, card, "merchant-" + random.nextInt(40),
                    new Money(100 + random.nextInt(50_000), "EUR"), fraud ? "electronics" : "grocery", "FR",
                    random.nextBoolean() ? "online" : "card_present", random.nextBoolean() ? "dev-" + i : null,
                    48.0 + random.nextDouble(), 2.0 + random.nextDouble(), fraud ? 1 : 0, fraud ? "stolen" : "legit"));
        }
        return rows;
    }

    @Test
    void replaysEveryRowOnceInEventTimeOrderWithChargebacksAtTheirTime() throws IOException {
        String prefix = "replay-it-" + UUID.randomUUID().toString().substring(0, 8);
        String transactionsTopic = prefix + ".transactions";
        String labelsTopic = prefix + ".labels";
        stack.createTopics(List.of(TopicSpec.of(transactionsTopic, 4), TopicSpec.of(labelsTopic, 1)));

        List<CsvTransaction> rows = history(new Random(42));
        List<CsvTransaction> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(1));
        Path csv = Rows.write(dir.resolve("history.csv"), shuffled);
        Files.writeString(csv, "tx-bad-1,yesterday,card-1,merchant-1,1.00,EUR,,,,,,,0,\n"
                + "tx-bad-2,2026-02-02T00:00:00Z,card-1,merchant-1,-5,EUR,,,,,,,0,\n", StandardOpenOption.APPEND);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new ReplayCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--data", csv.toString(),
                        "--bootstrap-servers", stack.bootstrapServers(),
                        "--schema-registry", stack.schemaRegistryUrl(),
                        "--label-delay", "1d",
                        "--transactions-topic", transactionsTopic,
                        "--labels-topic", labelsTopic);
        System.out.println(out);
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("2 bad rows: line 402: event_time is not an ISO-8601 time: 'yesterday'; line 403: ")
                .contains("published:      400 transactions")
                .contains("not in event-time order");

        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        AvroSerde<Transaction> transactions = new AvroSerde<>(Transaction.class, registry);
        AvroSerde<FraudLabel> labels = new AvroSerde<>(FraudLabel.class, registry);
        long fraudRows = rows.stream().filter(CsvTransaction::isFraud).count();
        // the defaults: every fraud charged back, half of them reported by their cardholder first
        CardholderReports reports = CardholderReports.defaults();
        Map<String, Instant> reportTimes = new HashMap<>();
        rows.stream().filter(CsvTransaction::isFraud).forEach(r -> reports.reportTime(r.transactionId(), r.eventTime())
                .ifPresent(at -> reportTimes.put(r.transactionId(), at)));
        assertThat(reportTimes).as("some of the frauds are reported, not all").isNotEmpty().hasSizeLessThan((int) fraudRows);

        List<ConsumerRecord<String, byte[]>> txRecords = TopicReader.readAll(stack.bootstrapServers(),
                transactionsTopic, 400, Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(txRecords).hasSize(400);
        Map<String, Transaction> byId = new HashMap<>();
        Map<String, Long> recordTimeById = new HashMap<>();
        Map<Integer, Instant> lastTimeOfPartition = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : txRecords) {
            Transaction t = transactions.decode(record.topic(), record.value());
            assertThat(record.key()).isEqualTo(t.getCardId());
            assertThat(byId.put(t.getTransactionId(), t)).as("published twice: %s", t.getTransactionId()).isNull();
            recordTimeById.put(t.getTransactionId(), record.timestamp());
            Instant last = lastTimeOfPartition.put(record.partition(), t.getEventTime());
            if (last != null) {
                assertThat(t.getEventTime()).as("event-time order on partition %d", record.partition())
                        .isAfterOrEqualTo(last);
            }
        }
        for (CsvTransaction row : rows) {
            assertThat(byId.get(row.transactionId())).isEqualTo(TransactionReplayer.toTransaction(row));
        }

        List<ConsumerRecord<String, byte[]>> labelRecords = TopicReader.readAll(stack.bootstrapServers(),
                labelsTopic, (int) fraudRows + reportTimes.size(), Duration.ofSeconds(1), Duration.ofSeconds(60));
        Map<String, CsvTransaction> rowById = rows.stream()
                .collect(Collectors.toMap(CsvTransaction::transactionId, r -> r));
        List<FraudLabel> published = labelRecords.stream().map(r -> labels.decode(r.topic(), r.value())).toList();
        assertThat(published).filteredOn(l -> l.getSource() == LabelSource.CHARGEBACK)
                .extracting(FraudLabel::getTransactionId)
                .containsExactlyInAnyOrderElementsOf(rows.stream().filter(CsvTransaction::isFraud)
                        .map(CsvTransaction::transactionId).toList());
        assertThat(published).filteredOn(l -> l.getSource() == LabelSource.CARDHOLDER)
                .extracting(FraudLabel::getTransactionId).containsExactlyInAnyOrderElementsOf(reportTimes.keySet());
        Instant lastLabeled = Instant.MIN;
        for (int i = 0; i < published.size(); i++) {
            FraudLabel label = published.get(i);
            CsvTransaction row = rowById.get(label.getTransactionId());
            assertThat(labelRecords.get(i).key()).isEqualTo(row.cardId());
            assertThat(label.getIsFraud()).isTrue();
            assertThat(label.getTransactionTime()).isEqualTo(row.eventTime());
            assertThat(label.getLabeledTime()).isEqualTo(label.getSource() == LabelSource.CARDHOLDER
                    ? reportTimes.get(row.transactionId()) : row.eventTime().plus(LABEL_DELAY));
            assertThat(label.getLabeledTime()).isAfterOrEqualTo(lastLabeled);
            lastLabeled = label.getLabeledTime();
            // Sent after the transaction it labels: the producer stamped it no earlier.
            assertThat(labelRecords.get(i).timestamp()).isGreaterThanOrEqualTo(recordTimeById.get(row.transactionId()));
        }
        assertThat(out.toString()).contains("fraud labels:   " + (fraudRows + reportTimes.size()) + " published");
    }
}
