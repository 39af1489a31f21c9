package dev.vigil.schemas;

import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.avro.Transaction;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every topic Vigil reads or writes, with its value schema and how it is laid out. Keys are UTF-8 strings: the card id
 * (so one card's history stays on one partition), or the base-model hash on the adapters and gate topics.
 */
public final class Topics {

    public static final String TRANSACTIONS = "payments.transactions";
    public static final String SCORES = "fraud.scores";
    public static final String ALERTS = "fraud.alerts";
    public static final String LABELS = "fraud.labels";
    public static final String ADAPTERS = "fraud.adapters";
    public static final String DLQ = "fraud.dlq";
    /** Every verdict of the feedback loop's promotion gate, promoted and refused, with its numbers. */
    public static final String GATE = "fraud.gate";

    /**
     * One topic's contract.
     *
     * @param partitions default partition count for the local stack and the deployment
     * @param compacted  true for a topic that keeps the latest record per key forever
     */
    public record Spec(String name, Schema valueSchema, int partitions, boolean compacted) {
        /** The schema registry subject of the value schema (Confluent's TopicNameStrategy). */
        public String subject() {
            return name + "-value";
        }
    }

    public static final List<Spec> ALL = List.of(
            new Spec(TRANSACTIONS, Transaction.getClassSchema(), 4, false),
            new Spec(SCORES, FraudScore.getClassSchema(), 4, false),
            new Spec(ALERTS, FraudAlert.getClassSchema(), 1, false),
            new Spec(LABELS, FraudLabel.getClassSchema(), 1, false),
            new Spec(ADAPTERS, AdapterRelease.getClassSchema(), 1, true),
            new Spec(DLQ, DeadLetter.getClassSchema(), 1, false),
            new Spec(GATE, GateOutcome.getClassSchema(), 1, false));

    private Topics() {
    }

    /** Registers the value schema of every topic ({@link #ALL}) under its subject. */
    public static void registerValueSchemas(dev.vigil.schemas.registry.SchemaRegistryClient registry) {
        for (Spec topic : ALL) {
            registry.register(topic.subject(), topic.valueSchema());
        }
    }

    public static Spec spec(String topic) {
        return ALL.stream().filter(s -> s.name().equals(topic)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a Vigil topic: " + topic));
    }
}
