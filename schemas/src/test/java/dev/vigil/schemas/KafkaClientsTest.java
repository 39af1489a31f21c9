package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.cli.ConnectionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaClientsTest {

    @TempDir
    Path dir;

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Mixin
        ConnectionOptions connection;

        @Override
        public void run() {
        }
    }

    @Test
    void aCommandsClientPropertiesFileReachesEveryClientOfItsClusterAndNoOther() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"u\" password=\"p\";\n");
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--bootstrap-servers", "secured.example:9093", "--kafka-config",
                file.toString());
        try {
            assertThat(probe.connection.bootstrapServers()).isEqualTo("secured.example:9093");
            Map<String, Object> config = KafkaClients.config("secured.example:9093");
            assertThat(config).containsEntry("bootstrap.servers", "secured.example:9093")
                    .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
            assertThat(KafkaClients.config("other.example:9092")).containsOnlyKeys("bootstrap.servers");
            // a client's own settings, put after, win over the file's
            config.put("security.protocol", "SSL");
            assertThat(KafkaClients.config("secured.example:9093")).containsEntry("security.protocol", "SASL_SSL");
        } finally {
            KafkaClients.unregister("secured.example:9093");
        }
    }

    @Test
    void aFileMayNotSayWhereToConnect() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=elsewhere:9092\n");
        assertThatThrownBy(() -> KafkaClients.register("here:9092", file)).hasMessageContaining("bootstrap.servers");
        assertThat(KafkaClients.secured("here:9092")).isFalse();
    }
}
