package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil up} as a user runs it: a separate JVM, stopped by a signal. */
class UpCommandIT {

    private static final Pattern CHILD_PID = Pattern.compile("schema registry \\d+ MB \\(pid (\\d+)\\)");

    @TempDir
    Path work;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsTheStackCleanlyAndSaysSo() throws Exception {
        Path output = work.resolve("up.out");
        Process up = startUp(output, "--no-opensearch");
        String ready = awaitOutput(output, "Press Ctrl-C to stop.");
        assertThat(ready).contains("kafka", "127.0.0.1:", "schema registry", "/api/v1/confluent",
                "Topics created: up.payments, up.adapters", "Memory (RSS)");
        long registryPid = childPid(ready);
        assertThat(ProcessHandle.of(registryPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        up.destroy(); // SIGTERM, as Ctrl-C's SIGINT would: the JVM runs its shutdown hooks
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up exits after SIGTERM").isTrue();

        assertThat(Files.readString(output)).contains("Stopping the local stack", "no child process left.");
        assertThat(ProcessHandle.of(registryPid).map(ProcessHandle::isAlive)).isIn(java.util.Optional.empty(),
                java.util.Optional.of(false));
    }

    @Test
    void childrenExitWhenTheParentIsKilledWithSigkill() throws Exception {
        Path output = work.resolve("up.out");
        Process up = startUp(output, "--no-opensearch");
        long registryPid = childPid(awaitOutput(output, "Press Ctrl-C to stop."));
        ProcessHandle registry = ProcessHandle.of(registryPid).orElseThrow();

        up.destroyForcibly(); // SIGKILL: no shutdown hook runs, only the stdin pipe tells the child
        assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Instant deadline = Instant.now().plusSeconds(30);
        while (registry.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(registry.isAlive()).as("schema registry child (pid %d) outlived its SIGKILLed parent", registryPid)
                .isFalse();
    }

    @Test
    void aTakenPortIsAClearErrorNamingThePortAndItsOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path output = work.resolve("up.out");
            Process up = startUp(output, "--no-opensearch", "--no-registry", "--kafka-port=" + taken.getLocalPort());
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(up.exitValue()).isEqualTo(2);
            assertThat(Files.readString(output)).contains("port " + taken.getLocalPort() + " for kafka is already in use",
                    "--kafka-port");
        }
    }

    private Process startUp(Path output, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(StackOptions.thisJava().toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), UpMain.class.getName(),
                "--data-dir=" + work.resolve("stack")));
        for (String port : List.of("--kafka-port", "--registry-port", "--opensearch-port")) {
            if (List.of(options).stream().noneMatch(o -> o.startsWith(port + "="))) {
                command.add(port + "=0");
            }
        }
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        started.add(process);
        return process;
    }

    private static String awaitOutput(Path output, String marker) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            if (text.contains(marker)) {
                System.out.print(text);
                return text;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + marker + "' in time; output so far:\n" + Files.readString(output));
    }

    private static long childPid(String output) {
        Matcher matcher = CHILD_PID.matcher(output);
        assertThat(matcher.find()).as("a schema registry pid in:\n%s", output).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
