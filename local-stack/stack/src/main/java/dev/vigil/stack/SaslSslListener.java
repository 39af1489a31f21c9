package dev.vigil.stack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A second listener on the local broker, {@code SASL_SSL} with the PLAIN mechanism: TLS with the server certificate in
 * {@code keystore} (PKCS12), and the users who may sign in with their passwords. The stack's own admin work (topics,
 * health) stays on the plaintext listener; this one is for clients that must prove they can reach a secured cluster.
 * Loopback only, like every listener of the local stack.
 */
public record SaslSslListener(Path keystore, String keystorePassword, Map<String, String> users) {

    public SaslSslListener {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        users = Map.copyOf(users);
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a SASL listener needs at least one user");
        }
        for (String name : users.keySet()) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("user names are letters, digits, '_' and '-': " + name);
            }
        }
        for (String password : users.values()) {
            if (password.contains("\"") || password.contains("\\")) {
                throw new IllegalArgumentException("a password for the PLAIN listener may not hold '\"' or '\\'");
            }
        }
    }

    /** The broker settings of this listener, named {@code SASL_SSL}. */
    Map<String, String> brokerProperties() {
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        users.forEach((name, password) -> jaas.append(" user_").append(name).append("=\"").append(password)
                .append('"'));
        jaas.append(';');
        return Map.of(
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_ssl.plain.sasl.jaas.config", jaas.toString(),
                "listener.name.sasl_ssl.ssl.keystore.location", keystore.toAbsolutePath().toString(),
                "listener.name.sasl_ssl.ssl.keystore.password", keystorePassword,
                "listener.name.sasl_ssl.ssl.keystore.type", "PKCS12",
                "listener.name.sasl_ssl.ssl.key.password", keystorePassword);
    }

    @Override
    public String toString() {
        return "SaslSslListener[" + keystore + ", users " + users.keySet() + "]"; // never the passwords
    }
}
