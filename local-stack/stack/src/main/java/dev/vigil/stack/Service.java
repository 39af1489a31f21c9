package dev.vigil.stack;

/** The servers a {@link LocalStack} can run. */
public enum Service {
    /** Kafka broker and KRaft controller in one node, inside this JVM. */
    KAFKA("kafka"),
    /** Hortonworks Schema Registry 0.9.1 speaking the Confluent REST API, in a child JVM. */
    SCHEMA_REGISTRY("schema registry"),
    /** OpenSearch 2.19.1 with the k-NN plugin (Lucene engine), in a child JVM. */
    OPENSEARCH("opensearch");

    private final String displayName;

    Service(String displayName) {
        this.displayName = displayName;
    }

    /** The name used in messages and logs, e.g. "schema registry". */
    public String displayName() {
        return displayName;
    }
}
