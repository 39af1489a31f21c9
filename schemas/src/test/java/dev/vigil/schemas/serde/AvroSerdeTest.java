package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Wire-format checks that need no registry; the round trip through a real one is AvroSerdeIT. */
class AvroSerdeTest {

    private final AvroSerde<Transaction> serde = new AvroSerde<>(Transaction.class,
            new SchemaRegistryClient("http://127.0.0.1:9", Duration.ofMillis(200)));

    @Test
    void rejectsBytesThatAreNotTheConfluentWireFormat() {
        assertThatThrownBy(() -> serde.decode("payments.transactions", new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte");
        assertThatThrownBy(() -> serde.decode("payments.transactions", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("shorter than the 5-byte");
        assertThatThrownBy(() -> serde.decode("payments.transactions", "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte");
    }
}
