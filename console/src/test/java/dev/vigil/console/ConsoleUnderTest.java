package dev.vigil.console;

import dev.vigil.console.security.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real console ({@link Console}, wired as {@code ./vigil console} wires it) in this JVM on 127.0.0.1, a free port,
 * reading the pipeline's topics and cases index, with a temporary users file holding one analyst and a temporary data
 * directory (the audit log); both deleted on close.
 */
final class ConsoleUnderTest implements AutoCloseable {

    final String analyst;
    final String password;
    final Path dataDir;
    private final Path dir;
    private final Console console;

    private ConsoleUnderTest(String analyst, String password, Path dir, Path dataDir, Console console) {
        this.analyst = analyst;
        this.password = password;
        this.dir = dir;
        this.dataDir = dataDir;
        this.console = console;
    }

    static ConsoleUnderTest start(AlertingPipeline pipeline, String analyst, String password) throws IOException {
        Path dir = Files.createTempDirectory("vigil-console-it-");
        try {
            Path users = dir.resolve("users");
            // the fewest iterations the users file accepts: a sign-in costs milliseconds, not half a second
            Users.addOrReplace(users, Users.create(analyst, password.toCharArray(), Users.MIN_ITERATIONS));
            Path data = Files.createDirectories(dir.resolve("data"));
            Console console = Console.start(new Console.Settings(ConsoleServer.Settings.loopback(0), users, data,
                    null, null, pipeline.stack.bootstrapServers(), pipeline.stack.schemaRegistryUrl(),
                    pipeline.stack.openSearchUrl(), pipeline.caseIndex));
            return new ConsoleUnderTest(analyst, password, dir, data, console);
        } catch (IOException | RuntimeException e) {
            AlertingPipeline.deleteQuietly(dir);
            throw e;
        }
    }

    /** e.g. {@code http://127.0.0.1:41234/} */
    String url() {
        return console.url();
    }

    @Override
    public void close() {
        try {
            console.close();
        } finally {
            AlertingPipeline.deleteQuietly(dir);
        }
    }
}
