package dev.vigil.schemas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GracefulStopTest {

    /** A command that works until stopped, then takes a while to finish in order; run in its own JVM below. */
    public static void main(String[] args) throws Exception {
        CountDownLatch stopRequested = new CountDownLatch(1);
        try (GracefulStop stop = GracefulStop.install("test-shutdown", stopRequested::countDown,
                Duration.ofSeconds(20))) {
            System.out.println("working");
            System.out.flush();
            stopRequested.await();
            Thread.sleep(500); // closing clients, writing a report
            System.out.println("finished in order");
            System.out.flush();
        }
    }

    @Test
    void aSignalAsksTheWorkToStopAndTheJvmWaitsUntilItHasFinished(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GracefulStopTest.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("working") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(log)).contains("working");

            process.destroy(); // SIGTERM, as Ctrl-C or a container stop

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("finished in order");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aCommandThatEndsOnItsOwnLeavesNoHookBehind() {
        GracefulStop stop = GracefulStop.install("test-shutdown", () -> { }, Duration.ofSeconds(1));
        stop.close();
        stop.close(); // closing twice is harmless
        Thread probe = new Thread(() -> { });
        Runtime.getRuntime().addShutdownHook(probe);
        assertThat(Runtime.getRuntime().removeShutdownHook(probe)).isTrue();
    }
}
