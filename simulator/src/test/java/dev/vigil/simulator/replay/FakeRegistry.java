package dev.vigil.simulator.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four calls of the Confluent registry API that {@code SchemaRegistryClient} makes, in memory, on loopback: enough
 * for unit tests of code that encodes Avro without a real registry. Not a registry: no compatibility, no versions.
 */
public final class FakeRegistry implements AutoCloseable {

    private static final Pattern SCHEMA_FIELD = Pattern.compile("\\{\\s*\"schema\"\\s*:\\s*(\".*\")\\s*}", Pattern.DOTALL);

    private final HttpServer server;
    private final Map<String, Integer> idBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemaById = new ConcurrentHashMap<>();

    public FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (exchange.getRequestMethod().equals("GET") && path.equals("/subjects")) {
            answer(exchange, 200, "[]");
        } else if (exchange.getRequestMethod().equals("POST") && path.startsWith("/subjects/")) {
            Matcher m = SCHEMA_FIELD.matcher(body);
            if (!m.matches()) {
                answer(exchange, 422, "{\"message\":\"no schema\"}");
                return;
            }
            String quoted = m.group(1);
            int id = idBySchema.computeIfAbsent(quoted, s -> {
                int next = idBySchema.size() + 1;
                schemaById.put(next, s);
                return next;
            });
            answer(exchange, 200, "{\"id\":" + id + "}");
        } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/schemas/ids/")) {
            String schema = schemaById.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
            if (schema == null) {
                answer(exchange, 404, "{\"error_code\":40403}");
            } else {
                answer(exchange, 200, "{\"schema\":" + schema + "}");
            }
        } else {
            answer(exchange, 404, "{}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
