package dev.vigil.streams.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import dev.vigil.schemas.HttpAccess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * OpenSearch's REST API as raw JSON over the JDK's HTTP client: every call is asynchronous, bounded by the request
 * timeout, and fails with a {@link ContextRetrievalException} that says why. One instance per application (it holds
 * the connection pool); thread-safe.
 */
public final class OpenSearchHttp {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration requestTimeout;
    private final HttpClient client;
    private final HttpAccess access;

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:9200}
     * @param requestTimeout the most any call may take, from sending to the whole response
     */
    public OpenSearchHttp(String baseUrl, Duration connectTimeout, Duration requestTimeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("OpenSearch URL must be http(s)://host:port, got '" + baseUrl + "'");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
        }
        this.requestTimeout = requestTimeout;
        this.access = HttpAccess.of(baseUrl); // basic auth and a trust store, when the command was given them
        this.client = access.client().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public OpenSearchHttp(String baseUrl) {
        this(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    static ObjectMapper json() {
        return JSON;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** A JSON request; the future completes with the parsed body of a 2xx answer. */
    public CompletableFuture<JsonNode> send(String method, String path, String body) {
        return send(method, path, body, "application/json");
    }

    /** Newline-delimited JSON (_bulk, _msearch). */
    public CompletableFuture<JsonNode> sendNdjson(String method, String path, String body) {
        return send(method, path, body, "application/x-ndjson");
    }

    /** The HTTP status of a request, whatever it is (for HEAD and existence checks); fails only if there is no answer. */
    public CompletableFuture<Integer> status(String method, String path) {
        HttpRequest request = access.authorize(HttpRequest.newBuilder(base.resolve(path))).timeout(requestTimeout)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        throw failure(method, path, error);
                    }
                    return response.statusCode();
                });
    }

    private CompletableFuture<JsonNode> send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = access.authorize(HttpRequest.newBuilder(base.resolve(path)))
                .timeout(requestTimeout).header("Content-Type", contentType).header("Accept", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        throw failure(method, path, error);
                    }
                    int status = response.statusCode();
                    if (status / 100 != 2) {
                        String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
                        throw new ContextRetrievalException(status >= 500
                                ? ContextRetrievalException.Reason.UNAVAILABLE
                                : ContextRetrievalException.Reason.BAD_RESPONSE,
                                method + " " + path + " answered " + status + ": " + abbreviate(text));
                    }
                    try {
                        return JSON.readTree(response.body());
                    } catch (IOException e) {
                        throw new ContextRetrievalException(ContextRetrievalException.Reason.BAD_RESPONSE,
                                method + " " + path + " answered with a body that is not JSON", e);
                    }
                });
    }

    private ContextRetrievalException failure(String method, String path, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ContextRetrievalException e) {
            return e;
        }
        if (cause instanceof HttpTimeoutException && !(cause instanceof java.net.http.HttpConnectTimeoutException)) {
            return new ContextRetrievalException(ContextRetrievalException.Reason.TIMEOUT,
                    method + " " + path + ": no answer within " + requestTimeout.toMillis() + " ms", cause);
        }
        String what = cause instanceof ConnectException ? "cannot connect to " + base : cause.toString();
        return new ContextRetrievalException(ContextRetrievalException.Reason.UNAVAILABLE,
                method + " " + path + ": " + what, cause);
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    @Override
    public String toString() {
        return "OpenSearch at " + base;
    }
}
