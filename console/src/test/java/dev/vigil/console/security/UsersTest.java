package dev.vigil.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {

    private static final int FAST = Users.MIN_ITERATIONS;

    @TempDir
    Path dir;

    @Test
    void theRightPasswordSignsInAndAWrongOneOrAnUnknownNameDoesNot() {
        Users users = Users.of(List.of(Users.create("alice", "correct horse".toCharArray(), FAST)));
        assertThat(users.verify("alice", "correct horse".toCharArray())).contains("alice");
        assertThat(users.verify("alice", "correct horsE".toCharArray())).isEmpty();
        assertThat(users.verify("bob", "correct horse".toCharArray())).isEmpty();
        assertThat(users.verify(null, "x".toCharArray())).isEmpty();
        assertThat(users.verify("alice", null)).isEmpty();
    }

    @Test
    void theSamePasswordHashesDifferentlyForEachUser() {
        Users.Entry a = Users.create("alice", "same".toCharArray(), FAST);
        Users.Entry b = Users.create("bob", "same".toCharArray(), FAST);
        assertThat(a.salt()).isNotEqualTo(b.salt());
        assertThat(a.hash()).isNotEqualTo(b.hash());
        assertThat(a.toString()).doesNotContain(java.util.Base64.getEncoder().encodeToString(a.hash()));
    }

    @Test
    void aFileWrittenByAddIsReadBackOwnerOnlyAndANewPasswordReplacesTheOld() throws Exception {
        Path file = dir.resolve("console/users");
        Users.addOrReplace(file, Users.create("alice", "one".toCharArray(), FAST));
        Users.addOrReplace(file, Users.create("bob", "two".toCharArray(), FAST));
        Users.addOrReplace(file, Users.create("alice", "three".toCharArray(), FAST));
        Users users = Users.load(file);
        assertThat(users.names()).containsExactly("alice", "bob");
        assertThat(users.verify("alice", "three".toCharArray())).contains("alice");
        assertThat(users.verify("alice", "one".toCharArray())).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("three").doesNotContain("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aBadLineIsRefusedWithItsNumberAndWithoutItsContent() throws Exception {
        String good = Users.create("alice", "pw".toCharArray(), FAST).line();
        assertRefused(List.of("# users", good, "bob:10000:c2FsdHNhbHQ="), "line 3", "4 fields");
        assertRefused(List.of("bob:many:c2FsdHNhbHQ=:AAAA"), "line 1", "iterations is not a number");
        assertRefused(List.of("bob:10:c2FsdHNhbHQ=:" + good.split(":")[3]), "line 1", "iterations must be");
        assertRefused(List.of("bob:10000:%%%:" + good.split(":")[3]), "line 1", "");
        assertRefused(List.of("bob:10000:c2FsdHNhbHQ=:c2hvcnQ="), "line 1", "hash must be 32 bytes");
        assertRefused(List.of("b b:10000:c2FsdHNhbHQ=:" + good.split(":")[3]), "line 1", "user name");
        assertRefused(List.of(good, "", good), "line 3", "listed twice");
        assertThatThrownBy(() -> Users.load(dir.resolve("missing")))
                .isInstanceOf(Users.FileException.class).hasMessageContaining("console users add");
    }

    private void assertRefused(List<String> lines, String where, String why) throws Exception {
        Path file = Files.write(dir.resolve("users-" + System.nanoTime()), lines);
        assertThatThrownBy(() -> Users.load(file)).isInstanceOf(Users.FileException.class)
                .hasMessageContaining(where).hasMessageContaining(why);
    }

    @Test
    void namesAndPasswordsOutsideTheRulesAreRefused() {
        assertThatThrownBy(() -> Users.create("alice:admin", "pw".toCharArray(), FAST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Users.create("alice", new char[0], FAST)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Users.create("alice", "pw".toCharArray(), 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
