package dev.vigil.console.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;

/**
 * Who did what, when: one JSON object per line appended to {@code <data dir>/audit.log}, every label and every
 * rollback, with {@code time} (ISO-8601 UTC), {@code analyst} and {@code action} first. Each line is flushed to the
 * operating system before the request is answered (not fsynced: a machine crash may lose the last lines, a console
 * crash does not). Thread-safe.
 */
public final class AuditLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;
    private final BufferedWriter out;

    public AuditLog(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean existed = Files.exists(file);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (!existed) {
            dev.vigil.console.security.Users.ownerOnly(file);
        }
    }

    public AuditLog(Path file) throws IOException {
        this(file, Clock.systemUTC());
    }

    public Path file() {
        return file;
    }

    /**
     * Appends one line: time, analyst, action, then the details in their order (string, number, boolean or null
     * values). Fails if the line cannot be written: an action that cannot be audited must not be reported done.
     */
    public synchronized void record(String analyst, String action, Map<String, ?> details) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("analyst", analyst);
        line.put("action", action);
        details.forEach((k, v) -> line.set(k, JSON.valueToTree(v)));
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the audit log " + file, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
