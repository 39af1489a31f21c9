package dev.vigil.streams.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.schemas.HttpAccess;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.testkit.TestCertificates;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's and OpenSearch's clients against a server that asks for basic auth over TLS with a certificate the
 * JDK does not trust: a JDK {@code HttpsServer} in this test (an in-test fake of a secured registry or OpenSearch, on
 * loopback). With the access file a command reads ({@code --schema-registry-config}, {@code --opensearch-config})
 * both get in; without it the certificate is refused; with a wrong password the server's 401 is an error.
 */
class SecuredHttpTest {

    @TempDir
    Path dir;

    private HttpsServer fakeSecuredServer;
    private String url;
    private TestCertificates certificates;
    private final List<String> seenAuthorization = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startAFakeSecuredServer() throws Exception {
        certificates = TestCertificates.in(dir);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.keystore())) {
            keys.load(in, certificates.password().toCharArray());
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, certificates.password().toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(km.getKeyManagers(), null, null);
        fakeSecuredServer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fakeSecuredServer.setHttpsConfigurator(new HttpsConfigurator(tls));
        String expected = "Basic " + Base64.getEncoder().encodeToString("vigil:s3cret".getBytes(StandardCharsets.UTF_8));
        fakeSecuredServer.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seenAuthorization.add(String.valueOf(auth));
            byte[] body = (expected.equals(auth) ? "[]" : "{\"error\": \"unauthorized\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(expected.equals(auth) ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fakeSecuredServer.start();
        url = "https://127.0.0.1:" + fakeSecuredServer.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        HttpAccess.unregister(url);
        fakeSecuredServer.stop(0);
    }

    @Test
    void withTheAccessFileBothClientsGetInWithoutItTheCertificateIsRefused() throws Exception {
        assertThatThrownBy(() -> new SchemaRegistryClient(url).checkReachable()).isNotNull();
        assertThatThrownBy(() -> new OpenSearchHttp(url).send("GET", "_cat/indices", null).join()).isNotNull();
        assertThat(seenAuthorization).as("no request got through the TLS handshake").isEmpty();

        HttpAccess.register(url, HttpAccess.load(accessFile("vigil:s3cret")));
        new SchemaRegistryClient(url).checkReachable();
        assertThat(new OpenSearchHttp(url).send("GET", "_cat/indices", null).join().isArray()).isTrue();
        assertThat(seenAuthorization).hasSize(2).allSatisfy(a -> assertThat(a).startsWith("Basic "));

        HttpAccess.register(url, HttpAccess.load(accessFile("vigil:wrong")));
        assertThatThrownBy(() -> new SchemaRegistryClient(url).checkReachable()).hasMessageContaining("401");
        assertThatThrownBy(() -> new OpenSearchHttp(url).send("GET", "_cat/indices", null).join())
                .hasMessageContaining("401");
    }

    @Test
    void anAccessFileNamesABadKeyAndNeverShowsItsSecrets() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "basic.auth.user.info=vigil:s3cret\npassword=oops\n");
        assertThatThrownBy(() -> HttpAccess.load(file)).hasMessageContaining("unknown key password")
                .hasMessageNotContaining("s3cret");
        assertThat(HttpAccess.load(accessFile("vigil:s3cret")).toString()).doesNotContain("s3cret")
                .contains("basic auth");
    }

    private Path accessFile(String userInfo) throws Exception {
        Path file = dir.resolve("access-" + userInfo.hashCode() + ".properties");
        Files.writeString(file, "basic.auth.user.info=" + userInfo + "\nssl.truststore.location="
                + certificates.truststore() + "\nssl.truststore.password=" + certificates.password() + "\n");
        return file;
    }
}
