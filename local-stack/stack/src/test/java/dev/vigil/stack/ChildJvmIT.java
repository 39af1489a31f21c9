package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-JVM mechanics every server relies on, with trivial mains instead of real servers. */
class ChildJvmIT {

    @TempDir
    Path tmp;

    @Test
    void closingStdinStopsTheChildAndRunsItsShutdownHooks() throws Exception {
        Path hookRan = tmp.resolve("hook-ran");
        ChildJvm child = start(ChildMains.Sleeper.class, List.of(), hookRan.toString());
        awaitLog(child, "sleeper running");

        Instant begin = Instant.now();
        child.awaitStop();

        assertThat(child.isAlive()).isFalse();
        assertThat(child.exitValue()).isZero();
        assertThat(hookRan).hasContent("shutdown hook ran");
        assertThat(Duration.between(begin, Instant.now())).isLessThan(ChildJvm.STOP_GRACE);
        assertThat(Files.readString(child.logFile())).contains("parent closed stdin");
    }

    @Test
    void aChildWhoseShutdownHangsIsHaltedByItsWatchdog() throws Exception {
        ChildJvm child = start(ChildMains.Stubborn.class, List.of("-Dvigil.watchdog.haltAfterMillis=500"));
        Thread.sleep(500);

        child.awaitStop();

        assertThat(child.isAlive()).isFalse();
        assertThat(child.exitValue()).isEqualTo(3); // Runtime.halt(3) by the watchdog, not SIGKILL (137)
    }

    private ChildJvm start(Class<?> main, List<String> jvmOptions, String... args) throws Exception {
        return ChildJvm.start(main.getSimpleName(), StackOptions.thisJava(), jvmOptions,
                List.of(RuntimeClasspath.locationOf(main)), main.getName(), List.of(args),
                tmp.resolve(main.getSimpleName() + ".args"), tmp.resolve("logs/" + main.getSimpleName() + ".log"));
    }

    private static void awaitLog(ChildJvm child, String text) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(child.logFile()).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in " + child.logFile() + ":\n" + Files.readString(child.logFile()));
    }
}
