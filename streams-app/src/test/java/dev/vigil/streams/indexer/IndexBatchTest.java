package dev.vigil.streams.indexer;

import static dev.vigil.streams.indexer.IndexerRecords.label;
import static dev.vigil.streams.indexer.IndexerRecords.score;
import static dev.vigil.streams.indexer.IndexerRecords.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class IndexBatchTest {

    static final int DIM = 12;
    static final String SCORES = "scores";
    static final String LABELS = "labels";
    static final Instant T = Instant.parse("2026-03-20T12:00:00Z");

    /** Records whose value bytes name a prepared value; "garbage" does not decode, "registry-down" cannot be asked. */
    final Map<String, Object> values = new HashMap<>();
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    void add(String topic, int partition, long offset, String value, Object decoded) {
        values.put(value, decoded);
        records.add(new ConsumerRecord<>(topic, partition, offset, "key".getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }

    IndexBatch batch() {
        return IndexBatch.of(records, SCORES, LABELS, (topic, bytes) -> (FraudScore) decode(bytes),
                (topic, bytes) -> (FraudLabel) decode(bytes), DIM);
    }

    Object decode(byte[] bytes) {
        String name = new String(bytes, StandardCharsets.UTF_8);
        if (name.equals("registry-down")) {
            throw new SchemaRegistryException("registry at http://127.0.0.1:1 did not answer");
        }
        Object value = values.get(name);
        if (value == null) {
            throw new SerializationException("record does not start with the Confluent magic byte");
        }
        return value;
    }

    @Test
    void aScoreWithoutACaseVectorFromAV1WriterIsIndexedWithAZeroVector() {
        Case c = IndexBatch.caseOf(score("tx-old", "m", T, new float[0]), DIM);
        assertThat(c.vector()).hasSize(DIM).containsOnly(0f);
        assertThat(c.merchantId()).isEqualTo("m");
        assertThat(c.eventTime()).isEqualTo(T);
    }

    @Test
    void aCaseVectorOfAnotherDimensionIsRefused() {
        assertThatThrownBy(() -> IndexBatch.caseOf(score("tx", "m", T, vector(DIM + 1, 1)), DIM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("13 values")
                .hasMessageContaining("has 12");
    }

    @Test
    void aTransactionIdOpenSearchCannotTakeAsADocumentIdIsRefused() {
        assertThatThrownBy(() -> IndexBatch.checkId("")).hasMessageContaining("empty");
        IndexBatch.checkId("x".repeat(IndexBatch.MAX_ID_BYTES));
        assertThatThrownBy(() -> IndexBatch.checkId("é".repeat(IndexBatch.MAX_ID_BYTES / 2 + 1)))
                .hasMessageContaining("514 bytes");
    }

    @Test
    void recordsThatCannotBeIndexedAreRefusedWithTheirReasonAndTheRestIsKept() {
        add(SCORES, 0, 10, "a", score("tx-a", "m", T, vector(DIM, 1)));
        add(SCORES, 0, 11, "garbage", null);
        add(SCORES, 0, 12, "wrong", score("tx-w", "m", T, vector(3, 1)));
        add(SCORES, 0, 13, null, null);
        add(SCORES, 0, 14, "not-finite", score("tx-n", "m", T, new float[] {Float.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        add(LABELS, 0, 3, "l", label("tx-a", true, T, LabelSource.CHARGEBACK));
        IndexBatch batch = batch();

        assertThat(batch.cases()).extracting(Case::transactionId).containsExactly("tx-a");
        assertThat(batch.labels()).extracting(CaseLabel::transactionId).containsExactly("tx-a");
        assertThat(batch.refused()).extracting(r -> r.record().offset()).containsExactly(11L, 12L, 13L, 14L);
        assertThat(batch.refused().get(0).errorClass()).isEqualTo(SerializationException.class.getName());
        assertThat(batch.refused().get(0).reason()).contains("magic byte");
        assertThat(batch.refused().get(1).reason()).contains("another feature spec");
        assertThat(batch.refused().get(2).reason()).contains("no value");
        assertThat(batch.refused().get(3).reason()).contains("non-finite");
        assertThat(batch.records()).isEqualTo(6);
    }

    @Test
    void anUnreachableRegistryFailsTheWholeBatchSoThatItIsReadAgain() {
        add(SCORES, 0, 1, "a", score("tx-a", "m", T, vector(DIM, 1)));
        add(SCORES, 0, 2, "registry-down", null);
        assertThatThrownBy(this::batch).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void aScoreSentTwiceBecomesOneCaseFromItsLaterRecord() {
        add(SCORES, 1, 5, "first", score("tx-d", "m", T, vector(DIM, 1)));
        add(SCORES, 1, 9, "again", score("tx-d", "m", T, vector(DIM, 1)));
        IndexBatch batch = batch();
        assertThat(batch.cases()).hasSize(1);
        assertThat(batch.sourceOfCase("tx-d")).get().extracting(ConsumerRecord::offset).isEqualTo(9L);
    }

    @Test
    void ofTwoLabelsOfOneCaseTheLaterLabelTimeIsSentWhateverTheirOrder() {
        add(LABELS, 0, 1, "late", label("tx-l", false, T.plusSeconds(60), LabelSource.ANALYST));
        add(LABELS, 0, 2, "early", label("tx-l", true, T, LabelSource.CHARGEBACK));
        add(LABELS, 0, 3, "tie-1", label("tx-t", true, T, LabelSource.ANALYST));
        add(LABELS, 0, 4, "tie-2", label("tx-t", false, T, LabelSource.ANALYST));
        IndexBatch batch = batch();
        assertThat(batch.labels()).containsExactly(
                new CaseLabel("tx-l", false, T.plusSeconds(60), LabelSource.ANALYST),
                new CaseLabel("tx-t", false, T, LabelSource.ANALYST));
        assertThat(batch.sourceOfLabel("tx-t")).get().extracting(ConsumerRecord::offset).isEqualTo(4L);
    }

    @Test
    void ofTwoLabelsOfTheSameValueTheEarlierIsSentWhateverTheirOrder() {
        // a cardholder's report, then its chargeback a week later; and the same two read the other way round
        add(LABELS, 0, 1, "report-r", label("tx-r", true, T, LabelSource.CARDHOLDER));
        add(LABELS, 0, 2, "chargeback-r", label("tx-r", true, T.plus(java.time.Duration.ofDays(7)),
                LabelSource.CHARGEBACK));
        add(LABELS, 0, 3, "chargeback-s", label("tx-s", true, T.plus(java.time.Duration.ofDays(7)),
                LabelSource.CHARGEBACK));
        add(LABELS, 0, 4, "report-s", label("tx-s", true, T, LabelSource.CARDHOLDER));
        IndexBatch batch = batch();
        assertThat(batch.labels()).containsExactly(
                new CaseLabel("tx-r", true, T, LabelSource.CARDHOLDER),
                new CaseLabel("tx-s", true, T, LabelSource.CARDHOLDER));
    }

    @Test
    void offsetsToCommitFollowTheLastRecordOfEachPartitionRefusedOrNot() {
        add(SCORES, 0, 7, "a", score("tx-a", "m", T, vector(DIM, 1)));
        add(SCORES, 1, 3, "b", score("tx-b", "m", T, vector(DIM, 2)));
        add(SCORES, 0, 8, "garbage", null);
        add(LABELS, 0, 40, "l", label("tx-a", true, T, LabelSource.CHARGEBACK));
        IndexBatch batch = batch();
        assertThat(batch.offsetsToCommit()).isEqualTo(Map.of(
                new TopicPartition(SCORES, 0), new OffsetAndMetadata(9),
                new TopicPartition(SCORES, 1), new OffsetAndMetadata(4),
                new TopicPartition(LABELS, 0), new OffsetAndMetadata(41)));
        assertThat(batch.firstOffsets()).isEqualTo(Map.of(new TopicPartition(SCORES, 0), 7L,
                new TopicPartition(SCORES, 1), 3L, new TopicPartition(LABELS, 0), 40L));
    }
}
