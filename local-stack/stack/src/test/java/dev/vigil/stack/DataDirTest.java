package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {

    @TempDir
    Path tmp;

    @Test
    void createsTheLayoutWithAMarker() {
        Path root = tmp.resolve("stack");
        try (DataDir dir = DataDir.open(root, false)) {
            assertThat(root.resolve(DataDir.MARKER)).exists();
            assertThat(root.resolve("logs")).isDirectory();
            assertThat(dir.logFile("opensearch")).isEqualTo(root.resolve("logs/opensearch.log"));
        }
    }

    @Test
    void aSecondOpenReusesTheDataAndAWipeDeletesIt() throws Exception {
        Path root = tmp.resolve("stack");
        try (DataDir first = DataDir.open(root, false)) {
            assertThat(first.reused()).isFalse();
        }
        Files.writeString(root.resolve("kafka-data"), "old");
        try (DataDir second = DataDir.open(root, false)) {
            assertThat(second.reused()).isTrue();
            assertThat(root.resolve("kafka-data")).exists();
        }

        try (DataDir wiped = DataDir.open(root, true)) {
            assertThat(wiped.reused()).isFalse();
        }

        assertThat(root.resolve("kafka-data")).doesNotExist();
        assertThat(root.resolve(DataDir.MARKER)).exists();
    }

    @Test
    void refusesToWipeADirectoryThatIsNotAStackDirectory() throws Exception {
        Files.writeString(tmp.resolve("precious.txt"), "not ours");
        assertThatThrownBy(() -> DataDir.open(tmp, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing to wipe " + tmp);
        assertThat(tmp.resolve("precious.txt")).exists();
    }

    @Test
    void aSecondStackOnTheSameDirectoryIsRefusedWhileTheFirstRunsEvenWithWipe() throws Exception {
        Path root = tmp.resolve("stack");
        try (DataDir first = DataDir.open(root, false)) {
            Files.writeString(root.resolve("live-data"), "in use");
            assertThatThrownBy(() -> DataDir.open(root, false)).isInstanceOf(StackStartException.class)
                    .hasMessageContaining("is in use by another running stack")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThatThrownBy(() -> DataDir.open(root, true)).isInstanceOf(StackStartException.class);
            assertThat(root.resolve("live-data")).exists();
        }
        DataDir.open(root, false).close(); // free again once the first closed
    }
}
