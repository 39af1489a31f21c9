package dev.vigil.console;

import dev.vigil.console.security.Users;
import dev.vigil.schemas.cli.ConnectionOptions;
import dev.vigil.schemas.cli.GracefulStop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./vigil console}: the analysts' web console on 127.0.0.1:8080 until Ctrl-C; {@code ./vigil console users add
 * NAME}: a user in the users file. No password is ever an argument: {@code users add} reads it from the environment
 * ({@code VIGIL_CONSOLE_PASSWORD}) or from the terminal or standard input.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "The analysts' web console: today's review queue, cases, search, labels, the model and its "
                + "rollback. Serves until Ctrl-C.",
        subcommands = {ConsoleCommand.UsersCommand.class})
public final class ConsoleCommand implements Callable<Integer> {

    public static final String USERS_ENV = "VIGIL_CONSOLE_USERS";
    public static final String PASSWORD_ENV = "VIGIL_CONSOLE_PASSWORD";
    static final String DEFAULT_USERS = ".vigil/console/users";

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port to listen on; 0 for any free port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--users", paramLabel = "FILE", defaultValue = "${env:" + USERS_ENV + ":-" + DEFAULT_USERS + "}",
            description = "The users file (env " + USERS_ENV + "), made with `./vigil console users add`. "
                    + "Default: ${DEFAULT-VALUE}.")
    Path users;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".vigil/console",
            description = "Where the audit log goes (DIR/audit.log). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory: lets a rollback go to its first adapter when that is no longer on the topic.")
    Path model;

    @Option(names = "--signing-key", paramLabel = "PEM", defaultValue = ".vigil/keys/adapters.key",
            description = "Ed25519 key that signs rollbacks (its .pub beside it is trusted). Without it the console "
                    + "shows releases but cannot roll back. Default: ${DEFAULT-VALUE}.")
    Path signingKey;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--opensearch-config", paramLabel = "FILE", defaultValue = "${env:VIGIL_OPENSEARCH_CONFIG}",
            description = "OpenSearch's basic.auth.user.info and ssl.truststore.* (env VIGIL_OPENSEARCH_CONFIG).")
    Path openSearchConfig;

    @Option(names = "--opensearch", paramLabel = "URL", defaultValue = "${env:VIGIL_OPENSEARCH_URL:-http://localhost:9200}",
            description = "OpenSearch, for case details and search (env VIGIL_OPENSEARCH_URL). Default: ${DEFAULT-VALUE}.")
    String openSearch;

    @Option(names = "--case-index", paramLabel = "NAME", defaultValue = "cases",
            description = "The cases index the case indexer writes. Default: ${DEFAULT-VALUE}.")
    String caseIndex;

    @Override
    public Integer call() throws Exception {
        if (openSearchConfig != null) {
            dev.vigil.schemas.HttpAccess.register(openSearch, dev.vigil.schemas.HttpAccess.load(openSearchConfig));
        }
        Console.Settings settings = new Console.Settings(new ConsoleServer.Settings(host, port), users, dataDir, model,
                signingKey, connection.bootstrapServers(), connection.schemaRegistry(), openSearch, caseIndex);
        CountDownLatch stop = new CountDownLatch(1);
        try (GracefulStop hook = GracefulStop.install("console-shutdown", stop::countDown, Duration.ofSeconds(15));
             Console console = Console.start(settings)) {
            System.out.println("console: " + console.url() + " (users " + users + ", audit log "
                    + dataDir.resolve("audit.log") + "); Ctrl-C stops it");
            stop.await();
        } catch (Users.FileException e) {
            System.err.println("console: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    @Command(name = "users", mixinStandardHelpOptions = true, description = "The console's users file.",
            subcommands = {UsersCommand.Add.class})
    static final class UsersCommand implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Adds a user, or sets a new password for one. The password comes from the environment "
                        + "variable " + PASSWORD_ENV + ", else from the terminal (asked twice), else from the first "
                        + "line of standard input; never from the command line.")
        static final class Add implements Callable<Integer> {
            @Parameters(index = "0", paramLabel = "NAME", description = "The user (analyst) name: A-Z a-z 0-9 . _ -")
            String name;

            @Option(names = "--users", paramLabel = "FILE",
                    defaultValue = "${env:" + USERS_ENV + ":-" + DEFAULT_USERS + "}",
                    description = "The users file (env " + USERS_ENV + "). Default: ${DEFAULT-VALUE}.")
            Path users;

            @Option(names = "--iterations", hidden = true, defaultValue = "" + Users.DEFAULT_ITERATIONS)
            int iterations;

            @Override
            public Integer call() throws IOException {
                char[] password = readPassword();
                if (password == null) {
                    System.err.println("console users add: no password (set " + PASSWORD_ENV
                            + ", or type it, or pipe it on standard input)");
                    return 2;
                }
                try {
                    Users.addOrReplace(users, Users.create(name, password, iterations));
                } catch (IllegalArgumentException e) {
                    System.err.println("console users add: " + e.getMessage());
                    return 2;
                } finally {
                    Users.wipe(password);
                }
                System.out.println("user " + name + " written to " + users);
                return 0;
            }

            private static char[] readPassword() throws IOException {
                String fromEnv = System.getenv(PASSWORD_ENV);
                if (fromEnv != null && !fromEnv.isEmpty()) {
                    return fromEnv.toCharArray();
                }
                java.io.Console terminal = System.console();
                if (terminal != null) {
                    char[] first = terminal.readPassword("password: ");
                    char[] again = terminal.readPassword("again: ");
                    if (first == null || again == null || !Arrays.equals(first, again)) {
                        Users.wipe(first);
                        Users.wipe(again);
                        System.err.println("console users add: the two passwords differ");
                        return null;
                    }
                    Users.wipe(again);
                    return first.length == 0 ? null : first;
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = in.readLine();
                return line == null || line.isEmpty() ? null : line.toCharArray();
            }
        }
    }
}
