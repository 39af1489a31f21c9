package dev.vigil.cli.chaos;

import dev.vigil.streams.StreamsCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ./vigil streams} scorer in its own JVM, as an operator runs it: started, asked for {@code /health} and
 * {@code /metrics}, killed with SIGKILL and started again on the same state directory.
 */
final class ScorerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> command;
    private final Path log;
    private final int metricsPort;
    private Process process;

    /**
     * @param arguments the {@code ./vigil streams} options (connections, model, topics, keys); the state directory,
     *                  metrics port and application id are this class's
     */
    ScorerProcess(String name, Path workDir, int metricsPort, List<String> arguments) throws IOException {
        this.name = name;
        this.metricsPort = metricsPort;
        this.log = workDir.resolve(name + ".log");
        Files.createDirectories(workDir);
        Files.deleteIfExists(log); // one run's log; restarts within the run append to it
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> c = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseG1GC", "-Dai.djl.offline=true",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.vigil.schemas.avro",
                "-cp", System.getProperty("java.class.path"), StreamsCommand.class.getName()));
        c.addAll(arguments);
        c.addAll(List.of("--state-dir", workDir.resolve(name + "-state").toString(),
                "--metrics-port", Integer.toString(metricsPort)));
        this.command = List.copyOf(c);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** Starts the JVM (its output appended to {@link #log}). */
    void start() throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until {@code /health} answers UP; false if the process died or {@code timeout} passed. */
    boolean awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process == null || !process.isAlive()) {
                return false;
            }
            if (health().startsWith("UP")) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The body of {@code /health}, or {@code unreachable: ...}. */
    String health() {
        return get("/health");
    }

    /** The Prometheus text of {@code /metrics}, or {@code unreachable: ...}. */
    String metrics() {
        return get("/metrics");
    }

    private String get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                    .timeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.body().strip();
        } catch (IOException e) {
            return "unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable: interrupted";
        }
    }

    /** Stops it as Ctrl-C would (SIGTERM), or kills it after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
