package dev.vigil.console.labels;

import dev.vigil.schemas.avro.FraudLabel;
import java.io.IOException;

/** Where an analyst's label goes: {@code fraud.labels} ({@link KafkaLabelPublisher}). */
public interface LabelPublisher extends AutoCloseable {

    /** Publishes the label and returns once it is acknowledged; fails if it is not. */
    void publish(FraudLabel label) throws IOException;

    @Override
    default void close() {
    }
}
