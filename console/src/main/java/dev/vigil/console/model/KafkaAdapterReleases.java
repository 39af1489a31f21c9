package dev.vigil.console.model;

import dev.vigil.feedback.FeedbackCommand;
import dev.vigil.feedback.releases.ReleaseLog;
import dev.vigil.feedback.releases.Rollback;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fraud.adapters} read with feedback-rl's {@link ReleaseLog} (a fresh read to the end, reused for
 * {@link #CACHE} so a page that polls does not open a consumer a second), trusting the signing key's public half;
 * the rollback is feedback-rl's {@link Rollback}, the code behind {@code ./vigil adapters rollback}; the refusals are
 * the {@link GateVerdicts} the topic follower keeps. Without the
 * signing key the console shows the releases (none verified) and refuses rollbacks. Thread-safe.
 */
public final class KafkaAdapterReleases implements AdapterReleases {

    static final Duration CACHE = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final AvroSerde<AdapterRelease> serde;
    private final Path signingKey;
    private final ModelDirectory model;
    private final Clock clock;
    private final GateVerdicts verdicts;
    private List<ReleaseLog.Entry> cached;
    private Instant cachedAt;

    /**
     * @param signingKey the Ed25519 private key (its public half beside it, {@code .pub} for {@code .key}); may not
     *                   exist, then nothing is verified and rollbacks are refused
     * @param model      lets a rollback go to the model's first adapter when it is no longer on the topic; may be null
     * @param verdicts   the gate's verdicts, filled by the topic follower
     */
    public KafkaAdapterReleases(String bootstrapServers, String topic, AvroSerde<AdapterRelease> serde,
            Path signingKey, ModelDirectory model, GateVerdicts verdicts, Clock clock) {
        this.verdicts = verdicts;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.serde = serde;
        this.signingKey = signingKey;
        this.model = model;
        this.clock = clock;
    }

    private Path publicKey() {
        return FeedbackCommand.publicKeyBeside(signingKey);
    }

    private List<PublicKey> trusted() throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        if (signingKey != null && Files.isRegularFile(publicKey())) {
            keys.add(SigningKeys.readPublicKey(publicKey()));
        }
        return keys;
    }

    @Override
    public synchronized List<ReleaseLog.Entry> history() throws IOException {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cachedAt.plus(CACHE))) {
            return cached;
        }
        try (ReleaseLog log = new ReleaseLog(bootstrapServers, topic, serde, trusted(), true).catchUp(READ_TIMEOUT)) {
            cached = log.history();
            cachedAt = now;
            return cached;
        }
    }

    @Override
    public List<GateOutcome> refusals() {
        return verdicts.refusals();
    }

    @Override
    public synchronized AdapterRelease rollback(String version) throws IOException {
        if (signingKey == null || !Files.isRegularFile(signingKey) || !Files.isRegularFile(publicKey())) {
            throw new IllegalStateException("this console has no signing key (" + signingKey + " and its .pub): "
                    + "it cannot sign a rollback");
        }
        AdapterRelease release = new Rollback(bootstrapServers, topic, serde, trusted(),
                SigningKeys.readPrivateKey(signingKey), SigningKeys.readPublicKey(publicKey()), READ_TIMEOUT)
                .publish(version, model);
        cached = null;
        return release;
    }
}
