package dev.vigil.stack;

import dev.vigil.stack.files.FileTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * The stack's data directory: one subdirectory per server, {@code logs/} for the child JVMs' output, a marker file
 * that says it is a stack directory (only such a directory may be wiped), and a lock held while a stack runs on it.
 */
final class DataDir implements AutoCloseable {

    static final String MARKER = ".vigil-stack";
    static final String LOCK = ".lock";

    private final Path root;
    private final boolean reused;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDir(Path root, boolean reused, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.reused = reused;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Locks the directory for this process, then wipes its content if asked, and lays it out. The lock comes first,
     * so a wipe can never delete the data of a stack that is running on it.
     */
    static DataDir open(Path root, boolean wipe) {
        try {
            if (wipe) {
                refuseToWipeForeign(root);
            }
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another stack in this very JVM
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(root.resolve(LOCK)), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new StackStartException(null, "data directory " + root + " is in use by another running stack ("
                        + holder + "); stop it, or use another data directory", null, null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            if (wipe) {
                deleteContentExceptLock(root);
            }
            boolean reused = Files.exists(root.resolve(MARKER));
            Files.createDirectories(root.resolve("logs"));
            if (!reused) {
                Files.writeString(root.resolve(MARKER),
                        "Data of the Vigil local stack (Kafka, schema registry, OpenSearch). Safe to delete when it is stopped.\n");
            }
            return new DataDir(root, reused, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare data directory " + root, e);
        }
    }

    /** Only a stack data directory (it has the marker), an empty one or a missing one may be wiped. */
    static void refuseToWipeForeign(Path root) throws IOException {
        if (!Files.isDirectory(root) || Files.exists(root.resolve(MARKER))) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            if (entries.anyMatch(entry -> !entry.getFileName().toString().equals(LOCK))) {
                throw new IllegalArgumentException("refusing to wipe " + root + ": it is not a Vigil stack data"
                        + " directory (no " + MARKER + " file in it)");
            }
        }
    }

    private static void deleteContentExceptLock(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().equals(LOCK)) {
                    FileTree.delete(entry);
                }
            }
        }
    }

    Path root() {
        return root;
    }

    /** True when the directory held a stack's data before this run (it was neither new nor wiped). */
    boolean reused() {
        return reused;
    }

    Path serverDir(String name) {
        return root.resolve(name);
    }

    Path logFile(String name) {
        return root.resolve("logs").resolve(name + ".log");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
