package dev.vigil.console;

import static dev.vigil.console.queue.Records.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.console.audit.AuditLog;
import dev.vigil.console.cases.CaseStore;
import dev.vigil.console.labels.LabelSubmissions;
import dev.vigil.console.queue.CardMask;
import dev.vigil.console.queue.ReviewQueue;
import dev.vigil.console.security.LoginThrottle;
import dev.vigil.console.security.Sessions;
import dev.vigil.console.security.Users;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.LabelSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's HTTP contract (console/API.md) against the real server on a loopback port, with the topics and
 * OpenSearch left out: the review queue is fed directly, labels go to a {@link FakeLabelPublisher}.
 */
class ConsoleServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CARD = "4111111111111234";

    @TempDir
    Path dir;

    private final FakeLabelPublisher publisher = new FakeLabelPublisher();
    private final FakeAdapterReleases releases = new FakeAdapterReleases()
            .add("1", null, Map.of()).add("2", "1", Map.of("holdout_ap", 0.61, "holdout_ap_live", 0.55))
            .refuse("2", "AP 0.5800 vs live 0.6100 (tolerance 0.0100, worse)",
                    Map.of("holdout_ap", 0.58, "holdout_ap_live", 0.61, "train_labels", 240.0));
    private final HttpClient http = HttpClient.newHttpClient();
    private ReviewQueue queue;
    private AuditLog audit;
    private ConsoleServer server;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.systemUTC();
        Users users = Users.of(List.of(Users.create("alice", "alice-pw".toCharArray(), Users.MIN_ITERATIONS),
                Users.create("bob", "bob-pw".toCharArray(), Users.MIN_ITERATIONS)));
        queue = new ReviewQueue(ReviewQueue.Limits.defaults(), clock);
        queue.onAlert(alert("t-1", CARD, "m-7", "2026-01-24T10:00:00Z", 0.93));
        queue.onAlert(alert("t-2", "c-000002", "m-7", "2026-01-24T10:05:00Z", 0.71));
        audit = new AuditLog(dir.resolve("audit.log"), clock);
        server = new ConsoleServer(ConsoleServer.Settings.loopback(0), new ConsoleServer.Parts(users, new Sessions(),
                new LoginThrottle(), queue, CaseStore.EMPTY,
                new LabelSubmissions(queue, CaseStore.EMPTY, publisher, audit, clock), releases, audit,
                CardMask.random())).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        audit.close();
    }

    // ---------------------------------------------------------------- sign-in, sessions, CSRF

    @Test
    void theAppNeedsASignInAndTheApiAnswers401Without() throws Exception {
        HttpResponse<String> app = get("/", null);
        assertThat(app.statusCode()).isEqualTo(303);
        assertThat(app.headers().firstValue("Location")).contains("/login");
        HttpResponse<String> api = get("/api/queue", null);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(api.body()).path("error").asText()).isEqualTo("not signed in");
    }

    @Test
    void signingInGivesAnHttpOnlyStrictSessionAndTheMeCallItsCsrfToken() throws Exception {
        Session s = signIn("alice", "alice-pw");
        assertThat(s.setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        assertThat(get("/", s).statusCode()).isEqualTo(200);
        JsonNode me = JSON.readTree(get("/api/me", s).body());
        assertThat(me.path("analyst").asText()).isEqualTo("alice");
        assertThat(me.path("csrf").asText()).isEqualTo(s.csrf).hasSize(43);
    }

    @Test
    void aWrongPasswordIs401AndTheSixthTryIs429() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = postLogin("alice", "guess" + i);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("Wrong user name or password");
            assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("VIGIL_SESSION"));
        }
        HttpResponse<String> blocked = postLogin("alice", "alice-pw");
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).contains("Too many attempts");
        assertThat(postLogin("bob", "bob-pw").statusCode()).as("another user from the same address, 5 failures")
                .isEqualTo(429);
    }

    @Test
    void theSignInFormNeedsItsOwnCsrfToken() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-pw")));
        assertThat(r.statusCode()).isEqualTo(403);
        r = send(HttpRequest.newBuilder(uri("/login")).header("Cookie", "VIGIL_LOGIN_CSRF=abc")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-pw&csrf=abd")));
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void aMultipartSignInIsRefusedBeforeItsBodyIsRead() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n--b--\r\n";
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/login")).header("Cookie", "VIGIL_LOGIN_CSRF=abc")
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("Set-Cookie").orElse("")).doesNotContain("VIGIL_SESSION=");
    }

    @Test
    void aWriteWithoutTheSessionsCsrfTokenIs403AndChangesNothing() throws Exception {
        Session alice = signIn("alice", "alice-pw");
        Session bob = signIn("bob", "bob-pw");
        String body = label("t-1", "fraud", null, "s-1");
        assertThat(postJson("/api/labels", alice, body, null).statusCode()).isEqualTo(403);
        HttpResponse<String> r = postJson("/api/labels", alice, body, bob.csrf);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("missing or wrong CSRF token");
        assertThat(publisher.published).isEmpty();
        assertThat(Files.readAllLines(audit.file())).isEmpty();
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        Session s = signIn("alice", "alice-pw");
        HttpResponse<String> out = send(HttpRequest.newBuilder(uri("/logout")).header("Cookie", s.cookie)
                .header("X-CSRF-Token", s.csrf).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(get("/api/me", s).statusCode()).isEqualTo(401);
    }

    // ---------------------------------------------------------------- reads

    @Test
    void theQueueIsRankedAndNeverShowsAWholeCardId() throws Exception {
        Session s = signIn("alice", "alice-pw");
        HttpResponse<String> r = get("/api/queue?limit=100", s);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(CARD).doesNotContain("c-000002");
        JsonNode q = JSON.readTree(r.body());
        assertThat(q.path("day").asText()).isEqualTo("2026-01-24");
        assertThat(q.path("total").asInt()).isEqualTo(2);
        JsonNode first = q.path("cards").get(0);
        assertThat(first.path("transactionId").asText()).isEqualTo("t-1");
        assertThat(first.path("card").asText()).isEqualTo("****-1234");
        assertThat(first.path("cardRef").asText()).isNotBlank();
        assertThat(first.path("amount").asText()).isEqualTo("12.34 EUR");
        assertThat(first.path("score").asDouble()).isEqualTo(0.93);
        assertThat(first.path("reasons")).hasSize(3);
        assertThat(get("/api/queue?limit=0", s).statusCode()).isEqualTo(400);
        assertThat(get("/api/queue?limit=lots", s).statusCode()).isEqualTo(400);
    }

    @Test
    void aCaseIsFoundByItsIdAndAnUnknownOneIs404() throws Exception {
        Session s = signIn("alice", "alice-pw");
        JsonNode c = JSON.readTree(get("/api/cases/t-1", s).body());
        assertThat(c.path("transaction").path("card").asText()).isEqualTo("****-1234");
        assertThat(c.path("merchantHistory").path("merchantId").asText()).isEqualTo("m-7");
        assertThat(c.path("similarFrauds").isArray()).isTrue();
        assertThat(get("/api/cases/nope", s).statusCode()).isEqualTo(404);
    }

    @Test
    void searchParametersAreChecked() throws Exception {
        Session s = signIn("alice", "alice-pw");
        assertThat(get("/api/search?label=fraud&from=2026-01-24T00:00:00Z&to=2026-01-25", s).statusCode())
                .isEqualTo(200);
        assertThat(get("/api/search?label=maybe", s).statusCode()).isEqualTo(400);
        assertThat(get("/api/search?from=yesterday", s).statusCode()).isEqualTo(400);
        assertThat(get("/api/search?from=2026-01-25T00:00:00Z&to=2026-01-24T00:00:00Z", s).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/search?q=" + "x".repeat(201), s).statusCode()).isEqualTo(400);
    }

    @Test
    void theModelShowsTheLiveAdapterTheGatesNumbersAndItsRefusals() throws Exception {
        Session s = signIn("alice", "alice-pw");
        JsonNode m = JSON.readTree(get("/api/model", s).body());
        assertThat(m.path("live").path("version").asText()).isEqualTo("2");
        assertThat(m.path("releases").get(0).path("metrics").path("ap_candidate").asDouble()).isEqualTo(0.61);
        assertThat(m.path("releases").get(0).path("metrics").path("ap_live").asDouble()).isEqualTo(0.55);
        JsonNode refusal = m.path("refusals").get(0);
        assertThat(m.path("refusals")).hasSize(1);
        assertThat(refusal.path("live").asText()).isEqualTo("2");
        assertThat(refusal.path("decided").asText()).isEqualTo("2026-01-24T11:00:00Z");
        assertThat(refusal.path("reason").asText()).startsWith("AP 0.5800 vs live 0.6100");
        assertThat(refusal.path("metrics").path("ap_candidate").asDouble()).isEqualTo(0.58);
        assertThat(refusal.path("metrics").path("ap_live").asDouble()).isEqualTo(0.61);
        assertThat(refusal.path("metrics").path("train_labels").asInt()).isEqualTo(240);
        assertThat(m.path("today").path("k").asInt()).isEqualTo(100);
    }

    // ---------------------------------------------------------------- labels

    @Test
    void aLabelIsPublishedOnceAuditedAndTakesTheCardOutOfEveryQueue() throws Exception {
        Session alice = signIn("alice", "alice-pw");
        Session bob = signIn("bob", "bob-pw");
        String body = label("t-1", "fraud", "called the customer", "sub-1");
        HttpResponse<String> first = postJson("/api/labels", alice, body, alice.csrf);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(first.body()).path("published").asBoolean()).isTrue();
        HttpResponse<String> again = postJson("/api/labels", alice, body, alice.csrf);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("duplicate").asBoolean()).isTrue();

        assertThat(publisher.published).hasSize(1);
        FraudLabel l = publisher.published.get(0);
        assertThat(l.getCardId()).isEqualTo(CARD);
        assertThat(l.getIsFraud()).isTrue();
        assertThat(l.getSource()).isEqualTo(LabelSource.ANALYST);
        assertThat(l.getLabeledBy()).isEqualTo("alice");
        assertThat(l.getNote()).isEqualTo("called the customer");
        assertThat(l.getTransactionTime()).isEqualTo("2026-01-24T10:00:00Z");

        JsonNode bobsQueue = JSON.readTree(get("/api/queue", bob).body());
        assertThat(bobsQueue.path("cards")).extracting(c -> c.path("transactionId").asText()).containsExactly("t-2");
        JsonNode c = JSON.readTree(get("/api/cases/t-1", bob).body());
        assertThat(c.path("labels").get(0).path("analyst").asText()).isEqualTo("alice");

        List<String> lines = Files.readAllLines(audit.file());
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.path("analyst").asText()).isEqualTo("alice");
        assertThat(line.path("action").asText()).isEqualTo("label");
        assertThat(line.path("submissionId").asText()).isEqualTo("sub-1");
        assertThat(line.path("time").asText()).isNotBlank();
    }

    @Test
    void aLabelIsTimedOnTheStreamsClockWhenTheStreamIsBehindTheWallClock() throws Exception {
        // a replay or the demo's simulated days: a wall-clock label time would move the loop's window clock months on
        queue.onScore(dev.vigil.console.queue.Records.score("t-9", "c-000009", "m-7", "2026-01-24T11:00:00Z", 0.2));
        Session alice = signIn("alice", "alice-pw");

        assertThat(postJson("/api/labels", alice, label("t-1", "fraud", null, "sub-t"), alice.csrf).statusCode())
                .isEqualTo(201);

        assertThat(publisher.published.get(0).getLabeledTime()).isEqualTo("2026-01-24T11:00:00Z");
    }

    @Test
    void unsureIsAuditedButNotPublishedAndTheCardStays() throws Exception {
        Session s = signIn("alice", "alice-pw");
        HttpResponse<String> r = postJson("/api/labels", s, label("t-1", "unsure", null, "sub-2"), s.csrf);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(r.body()).path("published").asBoolean()).isFalse();
        assertThat(publisher.published).isEmpty();
        assertThat(JSON.readTree(get("/api/queue", s).body()).path("total").asInt()).isEqualTo(2);
        assertThat(Files.readAllLines(audit.file())).hasSize(1);
    }

    @Test
    void badLabelsAre400AndPublishNothing() throws Exception {
        Session s = signIn("alice", "alice-pw");
        List<String> bad = List.of(
                label("t-1", "maybe", null, "b1"),
                label("t-1", "fraud", "x".repeat(501), "b2"),
                "{\"transactionId\":\"t-1\",\"verdict\":\"fraud\",\"submissionId\":\"b3\",\"analyst\":\"bob\"}",
                "{\"transactionId\":\"t-1\",\"verdict\":",
                label("t-unknown", "fraud", null, "b5"));
        for (String body : bad) {
            HttpResponse<String> r = postJson("/api/labels", s, body, s.csrf);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").asText()).as(body).isNotBlank();
        }
        HttpResponse<String> huge = postJson("/api/labels", s, "{\"note\":\"" + "x".repeat(20_000) + "\"}", s.csrf);
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(publisher.published).isEmpty();
        assertThat(Files.readAllLines(audit.file())).isEmpty();
        assertThat(JSON.readTree(get("/api/queue", s).body()).path("total").asInt()).isEqualTo(2);
    }

    @Test
    void aBrokerThatIsDownIs503AndTheSameSubmissionCanBeRetried() throws Exception {
        Session s = signIn("alice", "alice-pw");
        publisher.down = true;
        String body = label("t-1", "genuine", null, "sub-3");
        assertThat(postJson("/api/labels", s, body, s.csrf).statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(get("/api/queue", s).body()).path("total").asInt()).isEqualTo(2);
        publisher.down = false;
        assertThat(postJson("/api/labels", s, body, s.csrf).statusCode()).isEqualTo(201);
        assertThat(publisher.published).hasSize(1);
    }

    // ---------------------------------------------------------------- rollback

    @Test
    void aRollbackNeedsItsConfirmationAndIsAudited() throws Exception {
        Session s = signIn("alice", "alice-pw");
        HttpResponse<String> wrong = postJson("/api/rollback", s, "{\"version\":\"1\",\"confirm\":\"2\"}", s.csrf);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(postJson("/api/rollback", s, "{\"version\":\"9\",\"confirm\":\"9\"}", s.csrf).statusCode())
                .isEqualTo(400);
        assertThat(releases.entries).hasSize(2);
        assertThat(Files.readAllLines(audit.file())).isEmpty();

        HttpResponse<String> ok = postJson("/api/rollback", s, "{\"version\":\"1\",\"confirm\":\"1\"}", s.csrf);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode r = JSON.readTree(ok.body());
        assertThat(r.path("version").asText()).isEqualTo("1");
        assertThat(r.path("sequence").asLong()).isEqualTo(3);
        assertThat(r.path("parent").asText()).isEqualTo("2");
        JsonNode line = JSON.readTree(Files.readAllLines(audit.file()).get(0));
        assertThat(line.path("action").asText()).isEqualTo("rollback");
        assertThat(line.path("analyst").asText()).isEqualTo("alice");
    }

    // ---------------------------------------------------------------- plumbing

    private record Session(String cookie, String csrf, String setCookie) {}

    private static String label(String tx, String verdict, String note, String submission) throws Exception {
        Map<String, String> body = new HashMap<>();
        body.put("transactionId", tx);
        body.put("verdict", verdict);
        body.put("submissionId", submission);
        if (note != null) {
            body.put("note", note);
        }
        return JSON.writeValueAsString(body);
    }

    private Session signIn(String user, String password) throws Exception {
        HttpResponse<String> r = postLogin(user, password);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/");
        String setCookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("VIGIL_SESSION="))
                .findFirst().orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = JSON.readTree(get("/api/me", new Session(cookie, null, setCookie)).body()).path("csrf").asText();
        return new Session(cookie, csrf, setCookie);
    }

    private HttpResponse<String> postLogin(String user, String password) throws Exception {
        HttpResponse<String> page = get("/login", null);
        assertThat(page.statusCode()).isEqualTo(200);
        String cookie = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("VIGIL_LOGIN_CSRF=")).findFirst().orElseThrow();
        String token = cookie.substring("VIGIL_LOGIN_CSRF=".length(), cookie.indexOf(';'));
        Matcher field = Pattern.compile("name=\"csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(field.find()).as("the sign-in page carries the token").isTrue();
        assertThat(field.group(1)).isEqualTo(token);
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&csrf=" + token;
        return send(HttpRequest.newBuilder(uri("/login")).header("Cookie", "VIGIL_LOGIN_CSRF=" + token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> get(String path, Session s) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (s != null) {
            b.header("Cookie", s.cookie);
        }
        return send(b);
    }

    private HttpResponse<String> postJson(String path, Session s, String body, String csrf) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Cookie", s.cookie)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(java.time.Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(server.url()).resolve(path);
    }
}
