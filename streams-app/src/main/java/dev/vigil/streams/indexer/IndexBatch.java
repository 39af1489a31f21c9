package dev.vigil.streams.indexer;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.streams.context.ScoreCases;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Reason;
import dev.vigil.schemas.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One poll's records, decoded and checked: the cases to upsert and the labels to apply, at most one of each per
 * transaction id; the records refused (they go to the dead-letter topic); and, per partition, the first offset (where
 * to rewind if the batch must be read again) and the offset to commit once all of it is acknowledged.
 *
 * <p>Duplicates inside a batch are folded before anything is sent, so that each bulk item names one source record:
 * of two scores of a transaction the later record wins (a replay of the same score); of two labels the one with the
 * later label time wins, on a tie the later record: the rule the index itself applies, so the result is the same as
 * sending both.
 *
 * <p>What a score becomes (besides its reasons, the attribution groups that raised it, for the analysts' search):
 * <ul>
 *   <li>a {@code case_vector} of the spec's dimension: the case, with its vector;</li>
 *   <li>an empty {@code case_vector} (FraudScore v1 writers): the case with a zero vector. It is indexed and counts
 *       for its merchant; a zero vector has no direction, so the index keeps no vector for it and it is never anyone's
 *       similar case, even once labeled fraud;</li>
 *   <li>any other length, or a value that is not finite: refused. That vector was made by another feature spec, and
 *       storing it under this spec's vector version would corrupt the similar-case search.</li>
 * </ul>
 * A transaction id that OpenSearch cannot take as a document id (empty, or over 512 UTF-8 bytes) is refused before it
 * is sent: it would fail the whole bulk request, not just its item, and block every record behind it.
 */
final class IndexBatch {

    /** OpenSearch's limit on a document id. */
    static final int MAX_ID_BYTES = 512;

    /** A value and the record it came from. */
    record Sourced<T>(T value, ConsumerRecord<byte[], byte[]> record) {
    }

    /** A record that cannot be indexed, and why. */
    record Refused(ConsumerRecord<byte[], byte[]> record, String errorClass, String reason) {
    }

    private final Map<String, Sourced<Case>> cases = new LinkedHashMap<>();
    /** The reasons of each case in {@link #cases}, from the same record. */
    private final Map<String, List<String>> reasons = new HashMap<>();
    private final Map<String, Sourced<CaseLabel>> labels = new LinkedHashMap<>();
    private final List<Refused> refused = new ArrayList<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private int records;

    private IndexBatch() {
    }

    /**
     * Decodes and checks records.
     *
     * @param decodeScore  (topic, bytes) to a score; throws for bytes that are not one
     * @param decodeLabel  (topic, bytes) to a label; throws for bytes that are not one
     * @param dimension    the case vector dimension of the index
     * @throws SchemaRegistryException when the registry could not be asked (not the record's fault: read it again
     *                                 later); a schema the registry does not know is the record's fault and refuses it
     */
    static IndexBatch of(Iterable<ConsumerRecord<byte[], byte[]>> records, String scoresTopic, String labelsTopic,
                         BiFunction<String, byte[], FraudScore> decodeScore,
                         BiFunction<String, byte[], FraudLabel> decodeLabel, int dimension) {
        IndexBatch batch = new IndexBatch();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            batch.track(record);
            try {
                if (record.value() == null) {
                    batch.refuse(record, "NullValue", "the record has no value");
                } else if (record.topic().equals(scoresTopic)) {
                    FraudScore score = decodeScore.apply(record.topic(), record.value());
                    batch.addCase(new Sourced<>(caseOf(score, dimension), record), raisedBy(score));
                } else if (record.topic().equals(labelsTopic)) {
                    FraudLabel label = decodeLabel.apply(record.topic(), record.value());
                    checkId(label.getTransactionId());
                    batch.addLabel(new Sourced<>(CaseLabel.of(label), record));
                } else {
                    batch.refuse(record, "UnexpectedTopic", "the indexer does not read topic " + record.topic());
                }
            } catch (SchemaRegistryException e) {
                throw e; // unreachable registry: transient, the batch is read again
            } catch (RuntimeException e) {
                batch.refuse(record, e.getClass().getName(), String.valueOf(e.getMessage()));
            }
        }
        return batch;
    }

    /** A score as a case; throws IllegalArgumentException for one that cannot be indexed (see the class comment). */
    static Case caseOf(FraudScore score, int dimension) {
        checkId(score.getTransactionId());
        return ScoreCases.of(score, dimension);
    }

    /** The attribution groups that raised the score (positive contribution), highest first. */
    static List<String> raisedBy(FraudScore score) {
        return score.getReasons().stream().filter(r -> r.getContribution() > 0)
                .sorted(Comparator.comparingDouble((Reason r) -> r.getContribution()).reversed())
                .map(Reason::getFeature).toList();
    }

    static void checkId(String transactionId) {
        if (transactionId == null || transactionId.isEmpty()) {
            throw new IllegalArgumentException("empty transaction id: it cannot be a document id");
        }
        int bytes = transactionId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ID_BYTES) {
            throw new IllegalArgumentException("transaction id of " + bytes + " bytes: OpenSearch takes document ids of "
                    + "at most " + MAX_ID_BYTES);
        }
    }

    private void track(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        firstOffsets.merge(tp, record.offset(), Math::min);
        nextOffsets.merge(tp, record.offset() + 1, Math::max);
        records++;
    }

    private void addCase(Sourced<Case> c, List<String> why) {
        Sourced<Case> kept = cases.merge(c.value().transactionId(), c, (a, b) -> later(a.record(), b.record()) ? b : a);
        if (kept == c) {
            reasons.put(c.value().transactionId(), why);
        }
    }

    private void addLabel(Sourced<CaseLabel> l) {
        labels.merge(l.value().transactionId(), l, (a, b) -> {
            int byTime = a.value().labelTime().compareTo(b.value().labelTime());
            if (a.value().isFraud() == b.value().isFraud()) { // the same value: known since the earlier
                return byTime <= 0 ? a : b;
            }
            if (byTime != 0) { // another value: the latest wins
                return byTime < 0 ? b : a;
            }
            return later(a.record(), b.record()) ? b : a;
        });
    }

    /** Whether b was read after a (same partition: by offset; across partitions the order is not defined: b). */
    private static boolean later(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
        return a.topic().equals(b.topic()) && a.partition() == b.partition() ? b.offset() > a.offset() : true;
    }

    private void refuse(ConsumerRecord<byte[], byte[]> record, String errorClass, String reason) {
        refused.add(new Refused(record, errorClass, reason));
    }

    int records() {
        return records;
    }

    List<Case> cases() {
        return cases.values().stream().map(Sourced::value).toList();
    }

    /** The reasons of {@link #cases()}, by transaction id. */
    Map<String, List<String>> reasons() {
        return Map.copyOf(reasons);
    }

    List<CaseLabel> labels() {
        return labels.values().stream().map(Sourced::value).toList();
    }

    List<Refused> refused() {
        return List.copyOf(refused);
    }

    /** The record a case document was made from. */
    Optional<ConsumerRecord<byte[], byte[]>> sourceOfCase(String transactionId) {
        return Optional.ofNullable(cases.get(transactionId)).map(Sourced::record);
    }

    /** The record a label update was made from. */
    Optional<ConsumerRecord<byte[], byte[]>> sourceOfLabel(String transactionId) {
        return Optional.ofNullable(labels.get(transactionId)).map(Sourced::record);
    }

    /** Per partition, the first offset of this batch: where to rewind to read it again. */
    Map<TopicPartition, Long> firstOffsets() {
        return Map.copyOf(firstOffsets);
    }

    /** Per partition, the offset after the last record of this batch: what to commit once it is all acknowledged. */
    Map<TopicPartition, OffsetAndMetadata> offsetsToCommit() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        nextOffsets.forEach((tp, next) -> commit.put(tp, new OffsetAndMetadata(next)));
        return commit;
    }

    Collection<TopicPartition> partitions() {
        return List.copyOf(firstOffsets.keySet());
    }
}
