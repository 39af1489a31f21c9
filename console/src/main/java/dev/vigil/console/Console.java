package dev.vigil.console;

import dev.vigil.console.audit.AuditLog;
import dev.vigil.console.cases.CaseStore;
import dev.vigil.console.cases.OpenSearchCases;
import dev.vigil.console.labels.KafkaLabelPublisher;
import dev.vigil.console.labels.LabelSubmissions;
import dev.vigil.console.model.GateVerdicts;
import dev.vigil.console.model.KafkaAdapterReleases;
import dev.vigil.console.queue.CardMask;
import dev.vigil.console.queue.ReviewQueue;
import dev.vigil.console.queue.TopicFollower;
import dev.vigil.console.security.LoginThrottle;
import dev.vigil.console.security.Sessions;
import dev.vigil.console.security.Users;
import dev.vigil.model.ModelDirectory;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.streams.context.OpenSearchHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A running console, wired top to bottom: the users file, the topic follower filling the review queue, the cases
 * index, the label publisher, the adapter releases, the audit log, then the web server. Built by
 * {@code ./vigil console} and by the demo; {@link #close()} stops it all, the server first.
 */
public final class Console implements AutoCloseable {

    /**
     * Everything a console needs to run.
     *
     * @param usersFile  the users file ({@code name:iterations:salt:hash} lines)
     * @param dataDir    where the audit log goes ({@code audit.log})
     * @param model      a model directory, for a rollback to its first adapter; may be null
     * @param signingKey the adapter signing key (its {@code .pub} beside it); may not exist: then no rollback
     */
    public record Settings(ConsoleServer.Settings server, Path usersFile, Path dataDir, Path model, Path signingKey,
                           String bootstrapServers, String schemaRegistry, String openSearchUrl, String caseIndex) {
        public Settings {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(usersFile, "usersFile");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(schemaRegistry, "schemaRegistry");
            Objects.requireNonNull(openSearchUrl, "openSearchUrl");
            Objects.requireNonNull(caseIndex, "caseIndex");
        }
    }

    private final List<AutoCloseable> parts = new ArrayList<>();
    private final ConsoleServer server;

    private Console(Settings s) throws IOException {
        Clock clock = Clock.systemUTC();
        Users users = Users.load(s.usersFile());
        if (users.isEmpty()) {
            throw new Users.FileException("users file " + s.usersFile() + " lists no user (add one with ./vigil "
                    + "console users add NAME --users " + s.usersFile() + ")");
        }
        try {
            SchemaRegistryClient registry = new SchemaRegistryClient(s.schemaRegistry());
            ReviewQueue queue = new ReviewQueue(ReviewQueue.Limits.defaults(), clock);
            GateVerdicts verdicts = new GateVerdicts();
            parts.add(new TopicFollower(s.bootstrapServers(), registry, queue, verdicts, clock).start());
            CaseStore cases = new OpenSearchCases(new OpenSearchHttp(s.openSearchUrl()), s.caseIndex());
            KafkaLabelPublisher publisher = new KafkaLabelPublisher(s.bootstrapServers(), registry);
            parts.add(publisher);
            AuditLog audit = new AuditLog(s.dataDir().resolve("audit.log"), clock);
            parts.add(audit);
            KafkaAdapterReleases releases = new KafkaAdapterReleases(s.bootstrapServers(), Topics.ADAPTERS,
                    new AvroSerde<>(AdapterRelease.class, registry, true), s.signingKey(),
                    s.model() == null ? null : new ModelDirectory(s.model()), verdicts, clock);
            server = new ConsoleServer(s.server(), new ConsoleServer.Parts(users, new Sessions(), new LoginThrottle(),
                    queue, cases, new LabelSubmissions(queue, cases, publisher, audit, clock), releases, audit,
                    CardMask.random()));
            server.start();
            parts.add(server);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Console start(Settings settings) throws IOException {
        return new Console(settings);
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(parts);
        Collections.reverse(reversed);
        parts.clear();
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Console.class).warn("closing {}: {}", c.getClass().getSimpleName(),
                        e.toString());
            }
        }
    }
}
