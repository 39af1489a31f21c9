package dev.vigil.stack;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.vigil.stack.child.ParentWatchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server running in its own JVM, with its own classpath, its output appended to a log file, and tied to this
 * process through its stdin pipe (see {@link ParentWatchdog}): it exits when we close the pipe or when we die.
 *
 * <p>The command line goes into an argument file next to the log ({@code java @file}), so the child can be
 * started again by hand when debugging, and {@code ps} stays readable.
 */
final class ChildJvm {

    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);

    /** How long a child may take to stop after its stdin closes, before SIGTERM and then SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    static ChildJvm start(String name, Path java, List<String> jvmOptions, List<Path> classpath, String mainClass,
            List<String> args, Path argFile, Path logFile) throws IOException {
        List<Path> fullClasspath = new ArrayList<>();
        fullClasspath.add(RuntimeClasspath.locationOf(ParentWatchdog.class)); // this library: only the watchdog is used
        fullClasspath.addAll(classpath);
        List<String> arguments = new ArrayList<>(jvmOptions);
        arguments.add("-cp");
        arguments.add(fullClasspath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        arguments.add(ParentWatchdog.class.getName());
        arguments.add(mainClass);
        arguments.addAll(args);
        Files.createDirectories(argFile.getParent());
        Files.writeString(argFile, arguments.stream().map(ChildJvm::quote).collect(Collectors.joining("\n")) + "\n");

        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, "==== " + Instant.now() + " vigil local stack starts " + name + ": " + java + " @"
                + argFile + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        ProcessBuilder builder = new ProcessBuilder(java.toString(), "@" + argFile)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process process = builder.start();
        log.debug("started {} as pid {}, log {}", name, process.pid(), logFile);
        return new ChildJvm(name, process, logFile);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Asks the child to stop by closing its stdin; returns at once. */
    void requestStop() {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
        } catch (IOException e) {
            log.debug("closing stdin of {}", name, e);
        }
    }

    /** Waits for the child to exit after {@link #requestStop()}, then terminates it, then kills it. Never hangs. */
    void awaitStop() {
        requestStop();
        if (waitFor(STOP_GRACE)) {
            return;
        }
        log.warn("{} (pid {}) did not stop within {} s after its stdin closed; sending SIGTERM", name, pid(),
                STOP_GRACE.toSeconds());
        process.destroy();
        if (waitFor(Duration.ofSeconds(5))) {
            return;
        }
        log.warn("{} (pid {}) ignored SIGTERM; killing it", name, pid());
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(5));
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Quotes one argument for a java @argfile: double quotes, with backslash and quote escaped. */
    static String quote(String argument) {
        return '"' + argument.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
