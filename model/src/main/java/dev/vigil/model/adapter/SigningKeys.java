package dev.vigil.model.adapter;

import dev.vigil.schemas.digest.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * Ed25519 keys for signing adapter releases: generation, PEM files and key ids, with the JDK only.
 *
 * <ul>
 *   <li>Private key: PKCS#8, PEM label {@code PRIVATE KEY} (what {@code openssl genpkey -algorithm ed25519}
 *       writes). Written with owner-only permissions where the file system has POSIX permissions, and never over an
 *       existing file.</li>
 *   <li>Public key: X.509 SubjectPublicKeyInfo, PEM label {@code PUBLIC KEY} ({@code openssl pkey -pubout}).</li>
 *   <li>Key id: the first 16 hex characters of the SHA-256 of the public key's X.509 encoding. A release names its
 *       signer by this id, and a verifier finds the trusted key by it.</li>
 * </ul>
 * Reading a file that is missing, is not PEM, holds the other kind of key, or holds a key of another algorithm fails
 * with an {@link IOException} whose message names the file and what is wrong with it.
 */
public final class SigningKeys {

    public static final String PRIVATE_LABEL = "PRIVATE KEY";
    public static final String PUBLIC_LABEL = "PUBLIC KEY";

    /** Hex characters in a key id. */
    public static final int KEY_ID_LENGTH = 16;

    private SigningKeys() {}

    /** A fresh Ed25519 key pair from the JDK's default secure random source. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ReleaseSigning.ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519 key pair generator", e);
        }
    }

    /** The key id of {@code key}: the first 16 hex characters of SHA-256 of its X.509 encoding. */
    public static String keyId(PublicKey key) {
        Objects.requireNonNull(key, "key");
        return Sha256.hex(key.getEncoded()).substring(0, KEY_ID_LENGTH);
    }

    /** {@code key} as PKCS#8 PEM. */
    public static String privateKeyPem(PrivateKey key) {
        requireEd25519(key, "private");
        return pem(PRIVATE_LABEL, key.getEncoded());
    }

    /** {@code key} as X.509 PEM. */
    public static String publicKeyPem(PublicKey key) {
        requireEd25519(key, "public");
        return pem(PUBLIC_LABEL, key.getEncoded());
    }

    /**
     * Reads a PKCS#8 PEM Ed25519 private key.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static PrivateKey privateKeyFromPem(String pem) {
        byte[] der = derOf(pem, PRIVATE_LABEL);
        try {
            return KeyFactory.getInstance(ReleaseSigning.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519 key factory", e);
        }
    }

    /**
     * Reads an X.509 PEM Ed25519 public key.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static PublicKey publicKeyFromPem(String pem) {
        byte[] der = derOf(pem, PUBLIC_LABEL);
        try {
            return KeyFactory.getInstance(ReleaseSigning.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519 key factory", e);
        }
    }

    /**
     * Writes {@code key} to a new file (parent directories created), readable by its owner only where the file
     * system supports it. Refuses to replace an existing file: a signing key is not overwritten by accident.
     */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        String pem = privateKeyPem(key);
        createParent(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** Writes {@code key} to {@code file} (parent directories created), replacing it if it exists. */
    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        String pem = publicKeyPem(key);
        createParent(file);
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** Reads a private key file written by {@link #writePrivateKey} or openssl. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        String text = readKeyFile(file, "private");
        try {
            return privateKeyFromPem(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("signing key file " + file + " is unusable: " + e.getMessage(), e);
        }
    }

    /** Reads a public key file written by {@link #writePublicKey} or openssl. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        String text = readKeyFile(file, "public");
        try {
            return publicKeyFromPem(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("public key file " + file + " is unusable: " + e.getMessage(), e);
        }
    }

    private static String readKeyFile(Path file, String kind) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such " + kind + " key file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(kind + " key file " + file + " is not a regular file");
        }
        // ISO-8859-1 maps every byte, so a binary file reaches the PEM check and is reported as not PEM
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] derOf(String pem, String expectedLabel) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("empty, expected a PEM " + expectedLabel);
        }
        int begin = pem.indexOf("-----BEGIN ");
        if (begin < 0) {
            throw new IllegalArgumentException("not PEM (no -----BEGIN line), expected a PEM " + expectedLabel);
        }
        int labelStart = begin + "-----BEGIN ".length();
        int labelEnd = pem.indexOf("-----", labelStart);
        if (labelEnd < 0) {
            throw new IllegalArgumentException("not PEM (malformed -----BEGIN line)");
        }
        String label = pem.substring(labelStart, labelEnd);
        if (!label.equals(expectedLabel)) {
            String hint = label.equals("ENCRYPTED PRIVATE KEY") ? "; encrypted keys are not supported" : "";
            throw new IllegalArgumentException("holds a PEM " + label + ", expected " + expectedLabel + hint);
        }
        String footer = "-----END " + expectedLabel + "-----";
        int end = pem.indexOf(footer, labelEnd + 5);
        if (end < 0) {
            throw new IllegalArgumentException("truncated PEM: no " + footer + " line");
        }
        String body = pem.substring(labelEnd + 5, end).replaceAll("\\s", "");
        if (body.isEmpty()) {
            throw new IllegalArgumentException("PEM " + expectedLabel + " has an empty body");
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM " + expectedLabel + " body is not base64 (" + e.getMessage() + ")",
                    e);
        }
    }

    private static void requireEd25519(Key key, String kind) {
        Objects.requireNonNull(key, "key");
        if (!(key instanceof EdECKey edec) || !ReleaseSigning.ALGORITHM.equals(edec.getParams().getName())) {
            throw new IllegalArgumentException("not an Ed25519 " + kind + " key: " + key.getAlgorithm());
        }
    }
}
