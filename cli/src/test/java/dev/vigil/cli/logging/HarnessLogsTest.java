package dev.vigil.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class HarnessLogsTest {

    @Test
    void logLinesGoToTheHarnessFileUntilRestored(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("drill/chaos.log");
        try {
            assertThat(HarnessLogs.redirectTo(log)).isTrue();
            LoggerFactory.getLogger("dev.vigil.harness.test").info("a line for the file");
        } finally {
            HarnessLogs.restore();
        }
        LoggerFactory.getLogger("dev.vigil.harness.test").info("a line after the restore");
        assertThat(dir.resolve("drill/log4j2-chaos.xml")).exists();
        assertThat(Files.readString(log)).contains("a line for the file").doesNotContain("after the restore");
    }
}
