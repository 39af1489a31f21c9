package dev.vigil.stack.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A directory and everything below it, as the stack, the demo, the fault drill and the benchmarks throw their working
 * data away. Here, at the bottom of the build, because {@code local-stack} knows nothing of Vigil and every harness
 * depends on it.
 */
public final class FileTree {

    private FileTree() {
    }

    /**
     * Deletes {@code root} (a directory or a file) and everything below it; nothing if it does not exist. An entry
     * that disappears meanwhile (a server still shutting down) is not an error; the first one that cannot be deleted
     * is, and the walk stops there.
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfExists(Path path) throws IOException {
        try {
            Files.deleteIfExists(path);
        } catch (NoSuchFileException e) {
            // gone already
        }
    }
}
