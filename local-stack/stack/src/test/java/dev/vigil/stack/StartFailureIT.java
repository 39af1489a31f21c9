package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that is not healthy in time fails the start with its name and log, and leaves no process behind. */
class StartFailureIT {

    @TempDir
    Path tmp;

    @Test
    void aServerThatMissesTheDeadlineIsNamedWithItsLogAndEverythingIsStopped() {
        StackOptions options = StackOptions.in(tmp.resolve("stack"))
                .withServices(Service.KAFKA, Service.OPENSEARCH)
                .withStartTimeout(Duration.ofMillis(1500)); // OpenSearch needs several seconds

        StackStartException failure = catchThrowableOfType(StackStartException.class, () -> LocalStack.start(options));

        assertThat(failure.service()).isEqualTo(Service.OPENSEARCH);
        assertThat(failure.getMessage()).startsWith("opensearch (pid ")
                .contains("was not healthy by the deadline", "_cluster/health",
                        "Log: " + tmp.resolve("stack/logs/opensearch.log"), "last lines:");
        assertThat(failure.logFile()).contains(tmp.resolve("stack/logs/opensearch.log"));
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().arguments().stream().flatMap(java.util.Arrays::stream)))
                .noneMatch(argument -> argument.contains(tmp.toString()));
        // The lock was released: the same directory can be used right away.
        try (LocalStack again = LocalStack.start(options.withServices(Service.KAFKA).withStartTimeout(Duration.ofSeconds(60)))) {
            assertThat(again.dataReused()).isTrue();
        }
    }
}
