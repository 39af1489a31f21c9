package dev.vigil.stack;

import java.nio.file.Path;
import java.util.Optional;

/** A server of the local stack did not start or did not become healthy in time. The message names the server and its log. */
public class StackStartException extends RuntimeException {

    private final Service service;
    private final transient Path logFile;

    public StackStartException(Service service, String message, Path logFile, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.logFile = logFile;
    }

    /** The server that failed, or null when the failure is not one server's (e.g. the data directory is locked). */
    public Service service() {
        return service;
    }

    /** The log file to read, for servers that run in a child JVM. */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }
}
