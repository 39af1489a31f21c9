package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class UpCommandTest {

    private final UpCommand command = new UpCommand(List.of(TopicSpec.of("t", 1)));

    @Test
    void defaultsAreTheWellKnownPortsAndAPersistentDataDir() {
        new CommandLine(command).parseArgs();
        StackOptions options = command.options();
        assertThat(options.dataDir()).isEqualTo(Path.of(".vigil/stack").toAbsolutePath().normalize());
        assertThat(options.wipe()).isFalse();
        assertThat(options.port(Service.KAFKA)).isEqualTo(9092);
        assertThat(options.port(Service.SCHEMA_REGISTRY)).isEqualTo(8081);
        assertThat(options.port(Service.OPENSEARCH)).isEqualTo(9200);
        assertThat(options.services()).containsExactlyInAnyOrder(Service.values());
    }

    @Test
    void optionsChooseDirectoryPortsAndServices() {
        new CommandLine(command).parseArgs("--data-dir", "/tmp/x", "--wipe", "--kafka-port", "0", "--no-opensearch",
                "--no-registry", "--start-timeout", "30");
        StackOptions options = command.options();
        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(options.wipe()).isTrue();
        assertThat(options.port(Service.KAFKA)).isZero();
        assertThat(options.services()).containsExactly(Service.KAFKA);
        assertThat(options.startTimeout()).hasSeconds(30);
    }

    @Test
    void anOutOfRangePortIsAUsageErrorNamingTheOption() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setErr(new PrintWriter(err)).execute("--registry-port", "99999");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--registry-port must be between 0 and 65535, got 99999");
    }
}
