package dev.vigil.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import dev.vigil.schemas.HttpAccess;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Confluent schema registry REST API (the subset Vigil needs: register, look up by id, list subjects).
 * Works against Confluent Schema Registry and any server speaking its API. Every call has a timeout, so an unreachable
 * registry is an error within seconds, never a hang. Thread-safe; ids and schemas are cached for the client's life.
 */
public final class SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final HttpAccess access;
    private final Map<String, Integer> idBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(5));
    }

    public SchemaRegistryClient(String baseUrl, Duration timeout) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is not set");
        }
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        try {
            this.baseUrl = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema.registry.url is not a URL: '" + baseUrl + "'", e);
        }
        if (this.baseUrl.getScheme() == null || this.baseUrl.getHost() == null) {
            throw new IllegalArgumentException("schema.registry.url needs a scheme and host: '" + baseUrl + "'");
        }
        this.timeout = timeout;
        this.access = HttpAccess.of(trimmed); // basic auth and a trust store, when the command was given them
        this.http = access.client().connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl.toString();
    }

    /**
     * Fails fast with a clear message when the registry does not answer; call at start-up.
     *
     * @throws SchemaRegistryException naming the URL and the cause
     */
    public void checkReachable() {
        get("/subjects");
    }

    /** Registers the schema under the subject (or finds it already registered) and returns its global id. */
    public int register(String subject, Schema schema) {
        String key = subject + '\u0000' + schema.toString();
        Integer cached = idBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        JsonNode answer = post("/subjects/" + encode(subject) + "/versions", body);
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("registry at " + baseUrl + " answered without an id: " + answer);
        }
        idBySubjectAndSchema.put(key, id);
        schemaById.putIfAbsent(id, schema);
        return id;
    }

    /** The id of a schema already registered under the subject, without registering it. */
    public int lookup(String subject, Schema schema) {
        String key = subject + '\u0000' + schema.toString();
        Integer cached = idBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        JsonNode answer = post("/subjects/" + encode(subject), body);
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("registry at " + baseUrl + " answered without an id: " + answer);
        }
        idBySubjectAndSchema.put(key, id);
        return id;
    }

    /**
     * Every schema registered under the subject, by global id (none when the subject does not exist yet); the schemas
     * are cached like {@link #schemaById}.
     */
    public java.util.Map<Integer, Schema> schemasOf(String subject) {
        JsonNode versions;
        try {
            versions = get("/subjects/" + encode(subject) + "/versions");
        } catch (SchemaRegistryException.NotFound e) {
            return java.util.Map.of();
        }
        java.util.Map<Integer, Schema> schemas = new java.util.LinkedHashMap<>();
        for (JsonNode version : versions) {
            JsonNode answer = get("/subjects/" + encode(subject) + "/versions/" + version.asInt());
            int id = answer.path("id").asInt(-1);
            String text = answer.path("schema").asText(null);
            if (id < 0 || text == null) {
                throw new SchemaRegistryException("registry at " + baseUrl + " answered version " + version
                        + " of " + subject + " without an id or a schema: " + answer);
            }
            Schema schema = schemaById.computeIfAbsent(id, i -> new Schema.Parser().parse(text));
            schemas.put(id, schema);
        }
        return schemas;
    }

    /** The schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = get("/schemas/ids/" + id);
        String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException("registry at " + baseUrl + " has no schema text for id " + id);
        }
        Schema schema = new Schema.Parser().parse(text);
        schemaById.putIfAbsent(id, schema);
        return schema;
    }

    private JsonNode get(String path) {
        return send(access.authorize(HttpRequest.newBuilder(resolve(path))).timeout(timeout)
                .header("Accept", CONTENT_TYPE).GET().build());
    }

    private JsonNode post(String path, String body) {
        return send(access.authorize(HttpRequest.newBuilder(resolve(path))).timeout(timeout)
                .header("Accept", CONTENT_TYPE).header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private URI resolve(String path) {
        return URI.create(baseUrl + path);
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " is unreachable ("
                    + describe(e) + "); check schema.registry.url and that the registry is running", e);
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " did not answer within "
                    + timeout.toMillis() + " ms (" + request.method() + " " + request.uri().getPath() + ")", e);
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry at " + baseUrl, e);
        }
        int status = response.statusCode();
        if (status == 409) {
            throw new SchemaRegistryException.Incompatible("schema registry at " + baseUrl
                    + " rejected the schema as incompatible with the subject's history: " + response.body());
        }
        if (status == 404) {
            throw new SchemaRegistryException.NotFound("schema registry at " + baseUrl + " has no "
                    + request.uri().getPath() + ": " + response.body());
        }
        if (status / 100 != 2) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " answered " + status + " to "
                    + request.method() + " " + request.uri().getPath() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " answered with invalid JSON: "
                    + response.body(), e);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getClass().getSimpleName();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
