package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StackOptionsTest {

    @Test
    void defaultsToEveryServiceOnFreePortsKeepingTheData() {
        StackOptions options = StackOptions.in(Path.of("relative/dir"));
        assertThat(options.dataDir()).isEqualTo(Path.of("relative/dir").toAbsolutePath().normalize());
        assertThat(options.services()).containsExactlyInAnyOrder(Service.values());
        assertThat(options.wipe()).isFalse();
        assertThat(options.deleteDataDirOnClose()).isFalse();
        assertThat(options.port(Service.KAFKA)).isZero();
        assertThat(options.port(Service.SCHEMA_REGISTRY)).isZero();
        assertThat(options.port(Service.OPENSEARCH)).isZero();
        assertThat(options.brokerLogLevel()).isEqualTo("WARN");
        assertThat(options.childJava()).exists();
    }

    @Test
    void withersChangeOnlyTheirValue() {
        StackOptions options = StackOptions.in(Path.of("d"))
                .withServices(Service.KAFKA)
                .withKafkaPort(9092).withRegistryPort(8081).withOpenSearchPort(9200)
                .withWipe(true).withStartTimeout(Duration.ofSeconds(5));
        assertThat(options.services()).isEqualTo(Set.of(Service.KAFKA));
        assertThat(options.port(Service.KAFKA)).isEqualTo(9092);
        assertThat(options.port(Service.SCHEMA_REGISTRY)).isEqualTo(8081);
        assertThat(options.port(Service.OPENSEARCH)).isEqualTo(9200);
        assertThat(options.wipe()).isTrue();
        assertThat(options.startTimeout()).hasSeconds(5);
    }

    @Test
    void invalidValuesAreRejectedNamingTheOption() {
        StackOptions options = StackOptions.in(Path.of("d"));
        assertThatThrownBy(() -> options.withKafkaPort(70000)).hasMessageStartingWith("kafkaPort");
        assertThatThrownBy(() -> options.withRegistryPort(-1)).hasMessageStartingWith("registryPort");
        assertThatThrownBy(() -> options.withServices(Set.of())).hasMessageStartingWith("services");
        assertThatThrownBy(() -> options.withStartTimeout(Duration.ZERO)).hasMessageStartingWith("startTimeout");
        assertThatThrownBy(() -> options.withOpenSearchHeapMb(64)).hasMessageStartingWith("openSearchHeapMb");
    }
}
