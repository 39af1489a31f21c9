package dev.vigil.stack.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreeTest {

    @Test
    void deletesADirectoryWithEverythingBelowIt(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("work");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/deep.txt"), "x");
        Files.writeString(root.resolve("a/top.txt"), "y");
        Files.createDirectories(root.resolve("empty"));

        FileTree.delete(root);

        assertThat(root).doesNotExist();
        assertThat(dir).isDirectory();
    }

    @Test
    void deletesAPlainFileAndLeavesItsSiblings(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("one.txt"), "1");
        Path sibling = Files.writeString(dir.resolve("two.txt"), "2");

        FileTree.delete(file);

        assertThat(file).doesNotExist();
        assertThat(sibling).exists();
    }

    @Test
    void aMissingPathIsNothingToDo(@TempDir Path dir) throws Exception {
        FileTree.delete(dir.resolve("never-made"));
        assertThat(dir).isDirectory();
    }
}
