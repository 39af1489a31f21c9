package dev.vigil.feedback;

import dev.vigil.feedback.releases.ReleaseLog;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.cli.ConnectionOptions;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./vigil adapters list | rollback VERSION | keygen}: the releases on {@code fraud.adapters}. */
@Command(name = "adapters", mixinStandardHelpOptions = true,
        description = "Adapter releases on fraud.adapters: list them, roll back to one, make a signing key.",
        subcommands = {AdaptersCommand.ListReleases.class, AdaptersCommand.Rollback.class,
                AdaptersCommand.Keygen.class})
public final class AdaptersCommand implements Runnable {

    static final Path DEFAULT_KEY_DIR = Path.of(".vigil", "keys");
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options shared by list and rollback. */
    static class TopicOptions {
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--adapters-topic", defaultValue = Topics.ADAPTERS, hidden = true)
        String adaptersTopic;

        @Option(names = "--trusted-key", paramLabel = "PEM",
                description = "Public keys whose signatures count as verified (repeatable). Default: "
                        + ".vigil/keys/adapters.pub when it exists.")
        List<Path> trustedKeys = new ArrayList<>();

        List<PublicKey> keys() throws IOException {
            List<Path> paths = new ArrayList<>(trustedKeys);
            Path local = DEFAULT_KEY_DIR.resolve("adapters.pub");
            if (paths.isEmpty() && Files.isRegularFile(local)) {
                paths.add(local);
            }
            List<PublicKey> keys = new ArrayList<>();
            for (Path p : paths) {
                keys.add(SigningKeys.readPublicKey(p));
            }
            return keys;
        }

        AvroSerde<AdapterRelease> serde() {
            return new AvroSerde<>(AdapterRelease.class, new SchemaRegistryClient(connection.schemaRegistry()), true);
        }

        ReleaseLog read(List<PublicKey> keys) {
            return new ReleaseLog(connection.bootstrapServers(), adaptersTopic, serde(), keys, true)
                    .catchUp(READ_TIMEOUT);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every release on fraud.adapters: version, parent, sequence, created, metrics, signer.")
    static final class ListReleases implements Callable<Integer> {
        @Mixin
        TopicOptions topic;

        @Override
        public Integer call() throws IOException {
            List<PublicKey> keys = topic.keys();
            try (ReleaseLog log = topic.read(keys)) {
                print(log.history(), !keys.isEmpty(), System.out);
            }
            return 0;
        }

        static void print(List<ReleaseLog.Entry> entries, boolean haveKeys, PrintStream out) {
            if (entries.isEmpty()) {
                out.println("no releases on the topic");
                return;
            }
            out.printf(Locale.ROOT, "%-12s %-8s %-8s %8s  %-24s %-16s %-9s %s%n", "base", "version", "parent",
                    "sequence", "created", "signer", "verified", "metrics");
            for (ReleaseLog.Entry e : entries) {
                AdapterRelease r = e.release();
                String metrics = r.getMetrics().entrySet().stream()
                        .filter(m -> m.getKey().toString().startsWith("holdout_"))
                        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Object::toString)))
                        .map(m -> String.format(Locale.ROOT, "%s=%.4f", m.getKey().toString().substring(8),
                                m.getValue()))
                        .collect(Collectors.joining(" "));
                out.printf(Locale.ROOT, "%-12s %-8s %-8s %8d  %-24s %-16s %-9s %s%n",
                        r.getBaseModelHash().substring(0, Math.min(12, r.getBaseModelHash().length())),
                        r.getVersion(), r.getParentVersion() == null ? "-" : r.getParentVersion(), r.getSequence(),
                        r.getCreatedTime(), r.getSignerKeyId(), haveKeys ? (e.verified() ? "yes" : "NO") : "no key",
                        metrics.isEmpty() ? "-" : metrics);
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Republish VERSION's tensors with a new, higher sequence and parent = the current release, "
                    + "signed with --signing-key. The scorer swaps to it like to any newer release.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        TopicOptions topic;

        @Parameters(index = "0", paramLabel = "VERSION", description = "The release version to bring back.")
        String version;

        @Option(names = "--signing-key", paramLabel = "PEM", defaultValue = ".vigil/keys/adapters.key",
                description = "Ed25519 private key. Default: ${DEFAULT-VALUE}.")
        Path signingKey;

        @Option(names = "--signing-public-key", paramLabel = "PEM",
                description = "Its public key. Default: the signing key's file with .pub for .key.")
        Path signingPublicKey;

        @Option(names = "--model", paramLabel = "DIR",
                description = "Model directory: lets VERSION be its first adapter (adapter.bin) when that is no "
                        + "longer on the compacted topic.")
        Path model;

        @Override
        public Integer call() throws IOException {
            PublicKey publicKey = SigningKeys.readPublicKey(signingPublicKey != null ? signingPublicKey
                    : FeedbackCommand.publicKeyBeside(signingKey));
            List<PublicKey> keys = new ArrayList<>(topic.keys());
            keys.add(publicKey);
            AdapterRelease release = new dev.vigil.feedback.releases.Rollback(topic.connection.bootstrapServers(), topic.adaptersTopic,
                    topic.serde(), keys, SigningKeys.readPrivateKey(signingKey), publicKey, READ_TIMEOUT)
                    .publish(version, model == null ? null : new ModelDirectory(model));
            System.out.printf(Locale.ROOT, "rolled back to adapter %s: sequence %d, parent %s, base %s%n",
                    release.getVersion(), release.getSequence(), release.getParentVersion(),
                    release.getBaseModelHash());
            return 0;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make an Ed25519 key pair for signing adapter releases: DIR/adapters.key (private, owner "
                    + "only) and DIR/adapters.pub (give it to the scorer; it reads .vigil/keys/adapters.pub by default).")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".vigil/keys",
                description = "Directory for the key files. Default: ${DEFAULT-VALUE}.")
        Path out;

        @Override
        public Integer call() throws IOException {
            Path privateFile = out.resolve("adapters.key");
            Path publicFile = out.resolve("adapters.pub");
            if (Files.exists(privateFile)) {
                System.err.println("adapters keygen: " + privateFile + " exists; not replacing a signing key");
                return 1;
            }
            KeyPair pair = SigningKeys.generate();
            SigningKeys.writePrivateKey(privateFile, pair.getPrivate());
            SigningKeys.writePublicKey(publicFile, pair.getPublic());
            System.out.printf("key %s: private %s, public %s%n", SigningKeys.keyId(pair.getPublic()), privateFile,
                    publicFile);
            return 0;
        }
    }
}
