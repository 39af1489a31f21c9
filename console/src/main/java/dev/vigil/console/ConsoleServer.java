package dev.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.console.audit.AuditLog;
import dev.vigil.console.cases.CaseStore;
import dev.vigil.console.cases.CaseStoreException;
import dev.vigil.console.cases.IndexedCase;
import dev.vigil.console.cases.SearchFilter;
import dev.vigil.console.labels.LabelRequest;
import dev.vigil.console.labels.LabelSubmissions;
import dev.vigil.console.model.AdapterReleases;
import dev.vigil.console.queue.CardMask;
import dev.vigil.console.queue.LabelEntry;
import dev.vigil.console.queue.Payment;
import dev.vigil.console.queue.ReviewQueue;
import dev.vigil.console.security.LoginThrottle;
import dev.vigil.console.security.Sessions;
import dev.vigil.console.security.Users;
import dev.vigil.feedback.releases.ReleaseLog;
import dev.vigil.schemas.avro.AdapterRelease;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's web server (Javalin on Jetty): the sign-in page and the app at {@code /login} and {@code /}, the
 * static assets at {@code /assets/}, and the JSON API, exactly as console/API.md describes them. Security, in the
 * order a request meets it: a body over {@link #MAX_BODY_BYTES} is refused; every {@code /api/} call needs a session
 * ({@code VIGIL_SESSION}, HttpOnly, SameSite=Strict) and every POST its CSRF token; sign-in is throttled
 * ({@link LoginThrottle}) and carries its own CSRF token (cookie {@code VIGIL_LOGIN_CSRF} = form field {@code csrf});
 * labels and rollbacks are audited. Nothing here logs a password, a session id or a whole card id.
 *
 * <p>Start it with {@link #start()}; {@link #url()} is where it listens (port 0 picks a free one).
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);

    public static final String SESSION_COOKIE = "VIGIL_SESSION";
    public static final String LOGIN_CSRF_COOKIE = "VIGIL_LOGIN_CSRF";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final int MAX_BODY_BYTES = 16 * 1024;
    public static final int DEFAULT_QUEUE_LIMIT = 100;
    public static final int CP_AT_K = 100;
    static final int SIMILAR_CASES = 5;
    static final int MAX_QUERY_CHARS = 200;
    static final String WRONG_LOGIN = "Wrong user name or password";
    static final String TOO_MANY = "Too many attempts: wait a few minutes and try again";
    static final String BAD_CSRF = "missing or wrong CSRF token";

    /**
     * Where the server listens.
     *
     * @param host the address to bind (loopback by default: the console is for this machine unless told otherwise)
     * @param port the port, 0 for any free one
     */
    public record Settings(String host, int port) {
        public Settings {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("--host must name an address");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
            }
        }

        public static Settings loopback(int port) {
            return new Settings("127.0.0.1", port);
        }
    }

    /** What the server serves, each part built and owned by the caller. */
    public record Parts(Users users, Sessions sessions, LoginThrottle throttle, ReviewQueue queue, CaseStore cases,
                        LabelSubmissions labels, AdapterReleases releases, AuditLog audit, CardMask cards) {}

    private final Settings settings;
    private final Parts parts;
    private final Views views;
    private final Pages pages = new Pages();
    private final Javalin app;

    public ConsoleServer(Settings settings, Parts parts) {
        this.settings = settings;
        this.parts = parts;
        this.views = new Views(parts.cards());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jetty.modifyServletContextHandler(h -> h.setMaxFormContentSize(MAX_BODY_BYTES));
            if (Pages.hasAssets()) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/assets";
                    files.directory = Pages.WEB;
                    files.location = Location.CLASSPATH;
                });
            }
            config.routes.before(this::securityHeaders);
            config.routes.before(ConsoleServer::refuseOversized);
            config.routes.before("/api/*", this::requireSession);
            config.routes.get("/login", this::loginPage);
            config.routes.post("/login", this::login);
            config.routes.post("/logout", this::logout);
            config.routes.get("/", this::appPage);
            config.routes.get("/api/me", this::me);
            config.routes.get("/api/queue", this::queue);
            config.routes.get("/api/cases/{transactionId}", this::caseDetails);
            config.routes.get("/api/search", this::search);
            config.routes.get("/api/model", this::model);
            config.routes.post("/api/labels", this::label);
            config.routes.post("/api/rollback", this::rollback);
            config.routes.exception(RequestRejected.class, (e, ctx) -> json(ctx, e.status(), Views.error(e.getMessage())));
            config.routes.exception(CaseStoreException.class,
                    (e, ctx) -> json(ctx, 503, Views.error("OpenSearch: " + e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                json(ctx, 500, Views.error("internal error: the console's log says more"));
            });
        });
    }

    public ConsoleServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /** e.g. {@code http://127.0.0.1:8080/} */
    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port() + "/";
    }

    @Override
    public void close() {
        app.stop();
    }

    // ---------------------------------------------------------------- pages and sign-in

    private void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; "
                + "form-action 'self'; frame-ancestors 'none'");
        if (!ctx.path().startsWith("/assets/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private void loginPage(Context ctx) {
        renderLogin(ctx, 200, null);
    }

    private void renderLogin(Context ctx, int status, String error) {
        String token = Sessions.randomToken();
        // readable by the page's scripts on purpose: the double-submit pattern needs the page to echo it
        addCookie(ctx, LOGIN_CSRF_COOKIE, token, false, -1);
        ctx.status(status).html(pages.login(token, error));
    }

    private void login(Context ctx) {
        refuseMultipart(ctx);
        String presented = Optional.ofNullable(ctx.formParam("csrf")).orElse(ctx.header(CSRF_HEADER));
        if (!Sessions.tokenMatches(ctx.cookie(LOGIN_CSRF_COOKIE), presented)) {
            renderLogin(ctx, 403, BAD_CSRF);
            return;
        }
        String user = ctx.formParam("username");
        String password = ctx.formParam("password");
        String address = ctx.ip();
        // the attempt is counted before the slow hash: parallel guesses cannot all pass the check
        Optional<LoginThrottle.Attempt> attempt = parts.throttle().tryAttempt(user, address);
        if (attempt.isEmpty()) {
            renderLogin(ctx, 429, TOO_MANY);
            return;
        }
        char[] secret = password == null ? new char[0] : password.toCharArray();
        Optional<String> analyst;
        try {
            analyst = parts.users().verify(user, secret);
        } finally {
            Users.wipe(secret);
        }
        if (analyst.isEmpty()) {
            log.info("failed sign-in from {}", address);
            renderLogin(ctx, 401, WRONG_LOGIN);
            return;
        }
        parts.throttle().succeeded(attempt.get());
        parts.sessions().end(ctx.cookie(SESSION_COOKIE)); // a fresh id at every sign-in: no session fixation
        Sessions.Session session = parts.sessions().create(analyst.get());
        addCookie(ctx, SESSION_COOKIE, session.id(), true, -1);
        addCookie(ctx, LOGIN_CSRF_COOKIE, "", false, 0);
        log.info("{} signed in", analyst.get());
        ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void logout(Context ctx) {
        refuseMultipart(ctx);
        Optional<Sessions.Session> session = parts.sessions().find(ctx.cookie(SESSION_COOKIE));
        if (session.isPresent()) {
            String presented = Optional.ofNullable(ctx.header(CSRF_HEADER)).orElse(ctx.formParam("csrf"));
            if (!Sessions.tokenMatches(session.get().csrf(), presented)) {
                throw new RequestRejected(403, BAD_CSRF);
            }
            parts.sessions().end(session.get().id());
        }
        addCookie(ctx, SESSION_COOKIE, "", true, 0);
        ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** A declared body this much larger than the limit is not read at all: the connection is closed instead. */
    static final long DRAIN_LIMIT_BYTES = 1024 * 1024;

    /**
     * A body over {@link #MAX_BODY_BYTES} is refused (413) before any handler reads it. Up to {@link
     * #DRAIN_LIMIT_BYTES} it is read and thrown away first, so that the answer reaches the client: a server that closes
     * a connection with unread bytes on it resets it, and the client may see the reset instead of the 413.
     */
    private static void refuseOversized(Context ctx) throws java.io.IOException {
        long length = ctx.req().getContentLengthLong();
        if (length > MAX_BODY_BYTES) {
            if (length <= DRAIN_LIMIT_BYTES) {
                ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            }
            throw new RequestRejected(413, "a request body may be at most " + MAX_BODY_BYTES / 1024 + " KB");
        }
    }

    /**
     * Forms are URL-encoded: a multipart body would be parsed (and spooled to disk) by the form reader with no size
     * bound before anyone is signed in, so it is refused before the first form parameter is read.
     */
    private static void refuseMultipart(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            throw new RequestRejected(415, "forms are application/x-www-form-urlencoded");
        }
    }

    private void appPage(Context ctx) {
        if (parts.sessions().find(ctx.cookie(SESSION_COOKIE)).isEmpty()) {
            ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        ctx.html(pages.app());
    }

    private static void addCookie(Context ctx, String name, String value, boolean httpOnly, int maxAge) {
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=/; SameSite=Strict");
        if (httpOnly) {
            c.append("; HttpOnly");
        }
        if (maxAge >= 0) {
            c.append("; Max-Age=").append(maxAge);
        }
        ctx.res().addHeader("Set-Cookie", c.toString());
    }

    // ---------------------------------------------------------------- the API

    private void requireSession(Context ctx) {
        Sessions.Session session = parts.sessions().find(ctx.cookie(SESSION_COOKIE))
                .orElseThrow(() -> new RequestRejected(401, "not signed in"));
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD
                && !Sessions.tokenMatches(session.csrf(), ctx.header(CSRF_HEADER))) {
            throw new RequestRejected(403, BAD_CSRF);
        }
        ctx.attribute("analyst", session.analyst());
        ctx.attribute("csrf", session.csrf());
    }

    private void me(Context ctx) {
        ObjectNode n = Views.JSON.createObjectNode();
        n.put("analyst", ctx.<String>attribute("analyst"));
        n.put("csrf", ctx.<String>attribute("csrf"));
        json(ctx, 200, n);
    }

    private void queue(Context ctx) {
        int limit = intParam(ctx, "limit", DEFAULT_QUEUE_LIMIT, 1, 1000);
        ReviewQueue.View view = parts.queue().queue(limit);
        ObjectNode n = Views.JSON.createObjectNode();
        n.put("day", view.day() == null ? null : view.day().toString());
        n.put("total", view.total());
        ArrayNode cards = n.putArray("cards");
        view.cards().forEach(p -> cards.add(views.payment(p)));
        json(ctx, 200, n);
    }

    private void caseDetails(Context ctx) {
        String id = ctx.pathParam("transactionId");
        if (id.isEmpty() || id.length() > LabelRequest.MAX_ID_CHARS) {
            throw RequestRejected.badRequest("a transaction id is 1 to " + LabelRequest.MAX_ID_CHARS + " characters");
        }
        ObjectNode n = Views.JSON.createObjectNode();
        Optional<Payment> read = parts.queue().find(id);
        String cardId;
        String merchantId;
        List<String> contextErrors = new ArrayList<>();
        if (read.isPresent()) {
            n.set("transaction", views.payment(read.get()));
            cardId = read.get().cardId();
            merchantId = read.get().merchantId();
        } else {
            IndexedCase indexed = parts.cases().find(id)
                    .orElseThrow(() -> new RequestRejected(404, "unknown transaction " + id));
            n.set("transaction", views.indexed(indexed));
            cardId = indexed.cardId();
            merchantId = indexed.merchantId();
        }
        ArrayNode payments = n.putArray("cardPayments");
        parts.queue().cardPayments(cardId).forEach(p -> payments.add(views.cardPayment(p)));
        try {
            n.set("merchantHistory", views.merchantHistory(parts.cases().merchantHistory(merchantId)));
        } catch (CaseStoreException e) {
            n.putNull("merchantHistory");
            contextErrors.add(e.getMessage());
        }
        ArrayNode similar = n.putArray("similarFrauds");
        try {
            parts.cases().similarFrauds(id, SIMILAR_CASES).forEach(c -> similar.add(views.similar(c)));
        } catch (CaseStoreException e) {
            contextErrors.add(e.getMessage());
        }
        ArrayNode labels = n.putArray("labels");
        parts.queue().labels(id).forEach(l -> labels.add(views.label(l)));
        if (!contextErrors.isEmpty()) {
            n.put("contextError", "OpenSearch: " + String.join("; ", contextErrors));
        }
        json(ctx, 200, n);
    }

    private void search(Context ctx) {
        String card = textParam(ctx, "card", LabelRequest.MAX_ID_CHARS);
        String merchant = textParam(ctx, "merchant", LabelRequest.MAX_ID_CHARS);
        Instant from = instantParam(ctx, "from", false);
        Instant to = instantParam(ctx, "to", true);
        String label = textParam(ctx, "label", 20);
        String q = textParam(ctx, "q", MAX_QUERY_CHARS);
        int limit = intParam(ctx, "limit", 100, 1, 1000);
        if (label != null && !Set.of("fraud", "genuine", "unlabeled").contains(label)) {
            throw RequestRejected.badRequest("label must be fraud, genuine or unlabeled");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw RequestRejected.badRequest("from is after to");
        }
        String cardId = card == null ? null : parts.cards().cardOf(card).orElse(card);
        String text = q == null || q.isBlank() ? null : q.strip();
        List<IndexedCase> hits;
        try {
            hits = parts.cases().search(new SearchFilter(cardId, merchant, from, to, label, text, limit));
        } catch (CaseStoreException e) {
            throw new RequestRejected(503, "OpenSearch: " + e.getMessage());
        }
        ObjectNode n = Views.JSON.createObjectNode();
        ArrayNode cases = n.putArray("cases");
        for (IndexedCase hit : hits) {
            ObjectNode c = parts.queue().find(hit.transactionId()).map(views::payment)
                    .orElseGet(() -> views.indexed(hit));
            String latest = parts.queue().latestLabel(hit.transactionId()).map(LabelEntry::verdict)
                    .orElse(hit.label() == null ? "unlabeled" : hit.label());
            c.put("label", latest);
            cases.add(c);
        }
        json(ctx, 200, n);
    }

    private void model(Context ctx) {
        List<ReleaseLog.Entry> history;
        try {
            history = parts.releases().history();
        } catch (IOException | RuntimeException e) {
            throw new RequestRejected(503, "cannot read fraud.adapters: " + e.getMessage());
        }
        ObjectNode n = Views.JSON.createObjectNode();
        Optional<ReleaseLog.Entry> live = history.stream().filter(ReleaseLog.Entry::verified)
                .max(Comparator.comparingLong(e -> e.release().getSequence()));
        if (live.isEmpty()) {
            live = history.stream().max(Comparator.comparingLong(e -> e.release().getSequence()));
        }
        n.set("live", live.map(views::live).orElse(null));
        ArrayNode releases = n.putArray("releases");
        for (int i = history.size() - 1; i >= 0; i--) {
            releases.add(views.release(history.get(i)));
        }
        ArrayNode refusals = n.putArray("refusals");
        parts.releases().refusals().forEach(r -> refusals.add(views.refusal(r)));
        n.set("today", views.today(parts.queue().stats(CP_AT_K)));
        json(ctx, 200, n);
    }

    private void label(Context ctx) {
        String analyst = ctx.attribute("analyst");
        LabelRequest request = LabelRequest.parse(body(ctx), analyst);
        LabelSubmissions.Outcome outcome = parts.labels().submit(request, analyst);
        ObjectNode n = Views.JSON.createObjectNode();
        n.put("published", outcome.published());
        n.put("duplicate", outcome.duplicate());
        json(ctx, outcome.duplicate() ? 200 : 201, n);
    }

    private void rollback(Context ctx) {
        String analyst = ctx.attribute("analyst");
        JsonNode root = jsonObject(body(ctx));
        String version = root.path("version").isTextual() ? root.path("version").asText() : null;
        String confirm = root.path("confirm").isTextual() ? root.path("confirm").asText() : null;
        if (version == null || version.isBlank() || version.length() > 64) {
            throw RequestRejected.badRequest("version is required (a string of 1 to 64 characters)");
        }
        if (!version.equals(confirm)) {
            throw RequestRejected.badRequest("confirm must repeat the version to roll back to");
        }
        AdapterRelease release;
        try {
            release = parts.releases().rollback(version);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new RequestRejected(409, e.getMessage());
        } catch (IOException e) {
            throw new RequestRejected(503, e.getMessage());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", release.getVersion());
        details.put("sequence", release.getSequence());
        details.put("parent", release.getParentVersion());
        parts.audit().record(analyst, "rollback", details);
        log.info("{} rolled back to adapter {} (sequence {})", analyst, release.getVersion(), release.getSequence());
        ObjectNode n = Views.JSON.createObjectNode();
        n.put("version", release.getVersion());
        n.put("sequence", release.getSequence());
        n.put("parent", release.getParentVersion());
        json(ctx, 200, n);
    }

    // ---------------------------------------------------------------- plumbing

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    /** The request body, at most {@link #MAX_BODY_BYTES} (read with that bound whatever the headers say). */
    static byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw new RequestRejected(413, "the body is over " + MAX_BODY_BYTES + " bytes");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new RequestRejected(413, "the body is over " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw RequestRejected.badRequest("the body could not be read");
        }
    }

    private static JsonNode jsonObject(byte[] body) {
        JsonNode root;
        try {
            root = Views.JSON.readTree(body);
        } catch (IOException e) {
            throw RequestRejected.badRequest("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw RequestRejected.badRequest("the body must be a JSON object");
        }
        return root;
    }

    private static String textParam(Context ctx, String name, int maxChars) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > maxChars) {
            throw RequestRejected.badRequest(name + " is longer than " + maxChars + " characters");
        }
        return value.strip();
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw RequestRejected.badRequest(name + " must be " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw RequestRejected.badRequest(name + " must be a whole number");
        }
    }

    /** An ISO-8601 instant, or a date (UTC): the start of the day for {@code from}, its end for {@code to}. */
    private static Instant instantParam(Context ctx, String name, boolean endOfDay) {
        String value = textParam(ctx, name, 40);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            try {
                LocalDate day = LocalDate.parse(value);
                return endOfDay ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1)
                        : day.atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw RequestRejected.badRequest(name + " must be an ISO-8601 instant such as 2026-01-24T10:00:00Z "
                        + "(or a date such as 2026-01-24)");
            }
        }
    }
}
