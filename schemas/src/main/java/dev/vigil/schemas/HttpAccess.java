package dev.vigil.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How Vigil's HTTP clients (the schema registry's, OpenSearch's) reach a server that asks for credentials or whose
 * certificate the JDK does not trust: HTTP basic auth and a trust store, from a properties file named by the command
 * ({@code --schema-registry-config}, {@code --opensearch-config}, or their environment variables), kept per base URL.
 *
 * <p>The file's keys, as Confluent's clients name them:
 * <ul>
 *   <li>{@code basic.auth.user.info}: {@code user:password};</li>
 *   <li>{@code ssl.truststore.location}, {@code ssl.truststore.password}, {@code ssl.truststore.type} (default
 *       PKCS12): the certificates to trust for {@code https} (instead of the JDK's).</li>
 * </ul>
 * The secrets stay in the file and in memory; {@link #toString} names neither. Thread-safe.
 */
public final class HttpAccess {

    /** Anonymous, the JDK's trust store. */
    public static final HttpAccess NONE = new HttpAccess(null, null);

    private static final Set<String> KEYS = Set.of("basic.auth.user.info", "ssl.truststore.location",
            "ssl.truststore.password", "ssl.truststore.type");
    private static final Map<String, HttpAccess> BY_URL = new ConcurrentHashMap<>();

    private final String authorization;
    private final SSLContext sslContext;

    private HttpAccess(String authorization, SSLContext sslContext) {
        this.authorization = authorization;
        this.sslContext = sslContext;
    }

    /** The access of the settings in {@code file}; an IllegalArgumentException names a bad key, never a secret. */
    public static HttpAccess load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ": unknown key " + key + " (known: " + KEYS + ")");
            }
        }
        String authorization = null;
        String user = p.getProperty("basic.auth.user.info");
        if (user != null) {
            if (!user.contains(":")) {
                throw new IllegalArgumentException(file + ": basic.auth.user.info must be user:password");
            }
            authorization = "Basic " + Base64.getEncoder().encodeToString(user.strip().getBytes(StandardCharsets.UTF_8));
        }
        SSLContext ssl = null;
        String location = p.getProperty("ssl.truststore.location");
        if (location != null) {
            ssl = trusting(Path.of(location.strip()), p.getProperty("ssl.truststore.password", ""),
                    p.getProperty("ssl.truststore.type", "PKCS12"));
        }
        return new HttpAccess(authorization, ssl);
    }

    private static SSLContext trusting(Path store, String password, String type) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance(type);
            keys.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keys);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use trust store " + store + ": " + e.getMessage(), e);
        }
    }

    /** Every client of {@code baseUrl} from now on uses {@code access}. */
    public static void register(String baseUrl, HttpAccess access) {
        BY_URL.put(key(baseUrl), access);
    }

    /** Forgets {@code baseUrl}'s access (tests). */
    public static void unregister(String baseUrl) {
        BY_URL.remove(key(baseUrl));
    }

    /** The access registered for {@code baseUrl}, else {@link #NONE}. */
    public static HttpAccess of(String baseUrl) {
        return BY_URL.getOrDefault(key(baseUrl), NONE);
    }

    private static String key(String baseUrl) {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** A client builder with this access's trust store (if any). */
    public HttpClient.Builder client() {
        HttpClient.Builder builder = HttpClient.newBuilder();
        return sslContext == null ? builder : builder.sslContext(sslContext);
    }

    /** {@code request} with this access's credentials (if any). */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    @Override
    public String toString() {
        return "HttpAccess[" + (authorization == null ? "anonymous" : "basic auth") + ", "
                + (sslContext == null ? "JDK trust store" : "own trust store") + "]";
    }
}
