package dev.vigil.streams.indexer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A proxy in front of the real OpenSearch node that can make bulk requests fail (503) or answer late, so that a test
 * can take OpenSearch away from the indexer and give it back. Everything else is passed through.
 */
final class FlakyOpenSearch implements AutoCloseable {

    enum Mode { UP, FAIL_BULK, SLOW_BULK }

    private final URI target;
    private final Duration slowness;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger bulkRequests = new AtomicInteger();
    private volatile Mode mode = Mode.UP;

    FlakyOpenSearch(String targetUrl, Duration slowness) throws IOException {
        this.target = URI.create(targetUrl);
        this.slowness = slowness;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "flaky-opensearch");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void mode(Mode m) {
        mode = m;
    }

    /** Bulk requests that reached the proxy, whatever it did with them. */
    int bulkRequests() {
        return bulkRequests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.endsWith("/_bulk")) {
                bulkRequests.incrementAndGet();
                Mode now = mode;
                if (now == Mode.FAIL_BULK) {
                    respond(exchange, 503, "{\"error\": \"flaky proxy: OpenSearch is away\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (now == Mode.SLOW_BULK) {
                    Thread.sleep(slowness.toMillis());
                }
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(path + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                forward.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(answer.statusCode(), -1);
            } else {
                respond(exchange, answer.statusCode(), answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
