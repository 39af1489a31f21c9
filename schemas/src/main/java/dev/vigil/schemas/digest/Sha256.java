package dev.vigil.schemas.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, as Vigil traces what it made to what it was made from: the files a model or a report was computed from,
 * the base-model hash an adapter is bound to, a feature spec's hash, a signing key's id, a scored payment's input
 * fingerprint. Text in lower-case hex.
 */
public final class Sha256 {

    /** One digest per thread: the scorer fingerprints every payment, and {@code getInstance} is not free. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

    private Sha256() {
    }

    /** The 32-byte digest of {@code bytes}. */
    public static byte[] digest(byte[] bytes) {
        return DIGEST.get().digest(bytes);
    }

    /** The digest of {@code bytes} in hex (64 characters). */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }

    /** The digest of {@code text}'s UTF-8 bytes in hex. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of a file's bytes in hex, read in 64 KiB pieces (a file of any size). */
    public static String hexOfFile(Path file) throws IOException {
        MessageDigest digest = newDigest(); // not the thread's: a failed read must not leave it half fed
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
