package dev.vigil.streams;

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
 * A fake of the schema registry for unit tests: the calls of the Confluent registry API that Vigil's
 * {@code SchemaRegistryClient} makes to register, look up and fetch a schema by id, answered from memory by an HTTP
 * server on loopback in the test's own JVM (the client speaks only HTTP). Enough for code that encodes and decodes Avro
 * in the Confluent wire format without a real registry; the integration tests use the real one. Not a registry: no
 * compatibility, no versions (a subject's version list is 404, as for a subject never written), a lookup registers,
 * ids are global and shared by equal schemas.
 */
public final class FakeSchemaRegistry implements AutoCloseable {

    private static final Pattern SCHEMA_FIELD = Pattern.compile("\\{\\s*\"schema\"\\s*:\\s*(\".*\")\\s*}", Pattern.DOTALL);

    static {
        // answers go out at once: without it each small answer waits out the client's delayed ACK (about 40 ms)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final Map<String, Integer> idBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemaById = new ConcurrentHashMap<>();

    public FakeSchemaRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to give a {@code SchemaRegistryClient}. */
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
