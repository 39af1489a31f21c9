package dev.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console's HTTP API as a script speaks it, with java.net.http: its own cookies (kept by hand, so that the test
 * sees exactly what the server set), redirects not followed, a timeout on every call.
 */
final class ConsoleSession {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    ConsoleSession(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    /** A session signed in as {@code user}, or an AssertionError with the server's answer. */
    static ConsoleSession signedIn(String baseUrl, String user, String password) throws IOException,
            InterruptedException {
        ConsoleSession s = new ConsoleSession(baseUrl);
        HttpResponse<String> r = s.signIn(user, password);
        if (r.statusCode() != 303 || !s.cookies.containsKey(ConsoleServer.SESSION_COOKIE)) {
            throw new AssertionError("sign-in as " + user + " answered " + r.statusCode() + ": " + r.body());
        }
        return s;
    }

    /** GET /login (for its CSRF cookie), then POST /login as the sign-in form does. */
    HttpResponse<String> signIn(String user, String password) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base.resolve("login")).GET());
        String csrf = cookies.getOrDefault(ConsoleServer.LOGIN_CSRF_COOKIE, "");
        String form = Map.of("username", user, "password", password, "csrf", csrf).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve("login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    boolean has(String cookie) {
        return cookies.containsKey(cookie);
    }

    /** The session's CSRF token, from GET /api/me. */
    String csrf() throws IOException, InterruptedException {
        return json(get("api/me")).path("csrf").asText();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json").GET());
    }

    /** POST a JSON body, with the given CSRF header (none when null). */
    HttpResponse<String> post(String path, Object body, String csrfToken) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (csrfToken != null) {
            b.header(ConsoleServer.CSRF_HEADER, csrfToken);
        }
        return send(b);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": "
                    + r.body());
        }
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> r = http.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        for (String set : r.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            boolean expired = List.of(set.toLowerCase(java.util.Locale.ROOT).split(";")).stream()
                    .map(String::trim).anyMatch(a -> a.equals("max-age=0"));
            if (expired || value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return r;
    }
}
