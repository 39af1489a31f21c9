package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Wire-format checks that need no registry; the round trip through a real one is AvroSerdeIT. */
class AvroSerdeTest {

    private final AvroSerde<Transaction> serde = new AvroSerde<>(Transaction.class,
            new SchemaRegistryClient("http://127.0.0.1:9", Duration.ofMillis(200)));

    @Test
    void aFrozenRegistryCostsABoundedWaitOnceThenFailsAtOnce() throws Exception {
        // a registry that accepts connections and never answers (a process stopped with SIGSTOP)
        try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AvroSerde<Transaction> bounded = new AvroSerde<>(Transaction.class,
                    new SchemaRegistryClient("http://127.0.0.1:" + frozen.getLocalPort(), Duration.ofSeconds(5)))
                    .boundFetches(Duration.ofMillis(300), Duration.ofSeconds(10));
            byte[] unknownId = {0, 0, 0, 0, 42, 2, 'x'};
            assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
                assertThatThrownBy(() -> bounded.decode("payments.transactions", unknownId))
                        .isInstanceOf(SerializationException.class)
                        .hasMessageContaining("writer schema id 42")
                        .hasMessageContaining("has not answered within 300 ms");
            });
            // the fetch still runs: the next records of that schema do not wait for it again (ten of them would take
            // 3 s if each waited 300 ms)
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                for (int i = 0; i < 10; i++) {
                    assertThatThrownBy(() -> bounded.decode("payments.transactions", unknownId))
                            .isInstanceOf(SerializationException.class).hasMessageContaining("writer schema id 42");
                }
            });
        }
    }

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
