package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** How other modules' integration tests get a running stack: one per JVM, started on first use. */
class SharedStackIT {

    @Test
    void startsOncePerJvmAddsMissingServicesAndIgnoresClose() {
        LocalStack kafkaOnly = LocalStack.sharedForTests(Service.KAFKA);
        assertThat(kafkaOnly.services()).contains(Service.KAFKA);
        String bootstrap = kafkaOnly.bootstrapServers();

        kafkaOnly.close(); // ignored: other test classes still need it
        LocalStack again = LocalStack.sharedForTests(Service.KAFKA);
        assertThat(again).isSameAs(kafkaOnly);
        assertThat(again.createTopics(List.of(TopicSpec.of("it.shared." + UUID.randomUUID(), 1)))).hasSize(1);

        LocalStack withRegistry = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        assertThat(withRegistry).isSameAs(kafkaOnly);
        assertThat(withRegistry.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(Http.get(withRegistry.schemaRegistryUrl() + "/subjects").status()).isEqualTo(200);
        assertThat(withRegistry.dataDir().getFileName().toString()).startsWith("vigil-stack-");
    }
}
