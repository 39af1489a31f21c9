package dev.vigil.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A server in a child JVM: launched, polled until healthy, stopped through its stdin pipe. */
abstract class ChildJvmServer implements LocalServer {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final Service service;
    private final Path java;
    private final Path logFile;
    private volatile ChildJvm child;

    ChildJvmServer(Service service, Path java, Path logFile) {
        this.service = service;
        this.java = java;
        this.logFile = logFile;
    }

    @Override
    public Service service() {
        return service;
    }

    Path logFile() {
        return logFile;
    }

    Path java() {
        return java;
    }

    @Override
    public Optional<ChildJvm> child() {
        return Optional.ofNullable(child);
    }

    /** Writes whatever configuration the server reads before it starts. */
    abstract void prepare() throws IOException;

    abstract List<String> jvmOptions();

    abstract List<Path> classpath();

    abstract String mainClass();

    abstract List<String> arguments();

    /** Where the command line is written (a java @argfile). */
    abstract Path argFile();

    /** One health check; true once the server answers as healthy. */
    abstract boolean isHealthy();

    /** What {@link #isHealthy()} checks, for error messages. */
    abstract String healthCheck();

    @Override
    public void startAndAwaitHealthy(Instant deadline) {
        try {
            prepare();
            child = ChildJvm.start(service.displayName(), java, jvmOptions(), classpath(), mainClass(), arguments(),
                    argFile(), logFile);
        } catch (IOException | RuntimeException e) {
            throw failure("could not be launched: " + e.getMessage(), e);
        }
        while (Instant.now().isBefore(deadline)) {
            if (!child.isAlive()) {
                throw failure("exited with code " + child.exitValue() + " before it was healthy", null);
            }
            if (isHealthy()) {
                return;
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("start was interrupted", e);
            }
        }
        throw failure("was not healthy by the deadline (" + healthCheck() + ")", null);
    }

    @Override
    public void requestStop() {
        ChildJvm running = child;
        if (running != null) {
            running.requestStop();
        }
    }

    @Override
    public void awaitStop() {
        ChildJvm running = child;
        if (running != null) {
            running.awaitStop();
        }
    }

    private StackStartException failure(String what, Throwable cause) {
        String pid = child == null ? "" : " (pid " + child.pid() + ")";
        return new StackStartException(service, service.displayName() + pid + " " + what + ". Log: " + logFile
                + "\n  last lines:\n" + LogTail.lastLines(logFile, 25), logFile, cause);
    }
}
