package dev.vigil.model.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.avro.AdapterRelease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

    /** A throw-away pair written by {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout}. */
    private static final String OPENSSL_PRIVATE = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIN+sdWBxkP+8zYkyBJuAPBljt97yfAdES+JUXKQXEYWB
            -----END PRIVATE KEY-----
            """;
    private static final String OPENSSL_PUBLIC = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAWCEKyDpLH2rciMIoOAKtTIqb2iIORWWzoxgzepbFKeg=
            -----END PUBLIC KEY-----
            """;

    @TempDir
    Path dir;

    @Test
    void keyFilesRoundTripAndTheKeysStillSignAndVerify() throws IOException {
        KeyPair pair = SigningKeys.generate();
        Path privateFile = dir.resolve("keys/release.key");
        Path publicFile = dir.resolve("keys/release.pub");

        SigningKeys.writePrivateKey(privateFile, pair.getPrivate());
        SigningKeys.writePublicKey(publicFile, pair.getPublic());
        PrivateKey privateKey = SigningKeys.readPrivateKey(privateFile);
        PublicKey publicKey = SigningKeys.readPublicKey(publicFile);

        assertThat(Files.readString(privateFile)).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(publicFile)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(privateKey.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(publicKey.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(SigningKeys.keyId(publicKey)).isEqualTo(SigningKeys.keyId(pair.getPublic()));

        AdapterRelease release = UnsignedRelease.of(ReleaseSigningTest.smallAdapter(1), "1", null, 1, "abc")
                .signWith(privateKey, SigningKeys.keyId(publicKey));
        assertThat(ReleaseSigning.verify(release, pair.getPublic())).isTrue();
    }

    @Test
    void readsKeysWrittenByOpenssl() {
        PrivateKey privateKey = SigningKeys.privateKeyFromPem(OPENSSL_PRIVATE);
        PublicKey publicKey = SigningKeys.publicKeyFromPem(OPENSSL_PUBLIC);

        AdapterRelease release = UnsignedRelease.of(ReleaseSigningTest.smallAdapter(1), "1", null, 1, "abc")
                .signWith(privateKey, SigningKeys.keyId(publicKey));

        assertThat(ReleaseSigning.verify(release, publicKey)).isTrue();
        assertThat(SigningKeys.publicKeyPem(publicKey)).isEqualTo(OPENSSL_PUBLIC);
        assertThat(SigningKeys.privateKeyPem(privateKey)).isEqualTo(OPENSSL_PRIVATE);
    }

    @Test
    void theKeyIdIsSixteenHexCharactersOfTheSha256OfThePublicKey() throws Exception {
        PublicKey key = SigningKeys.publicKeyFromPem(OPENSSL_PUBLIC);
        String expected = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded())).substring(0, 16);

        assertThat(SigningKeys.keyId(key)).isEqualTo(expected).matches("[0-9a-f]{16}");
        assertThat(SigningKeys.keyId(SigningKeys.generate().getPublic())).isNotEqualTo(expected);
    }

    @Test
    void thePrivateKeyFileIsOwnerOnlyAndNeverOverwritten() throws IOException {
        Path file = dir.resolve("release.key");
        SigningKeys.writePrivateKey(file, SigningKeys.generate().getPrivate());
        String before = Files.readString(file);

        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThatThrownBy(() -> SigningKeys.writePrivateKey(file, SigningKeys.generate().getPrivate()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aMissingKeyFileIsNamed() {
        Path missing = dir.resolve("nope.key");

        assertThatThrownBy(() -> SigningKeys.readPrivateKey(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such private key file");
        assertThatThrownBy(() -> SigningKeys.readPublicKey(missing))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no such public key file");
    }

    @Test
    void corruptKeyFilesAreReportedWithWhatIsWrong() throws Exception {
        Path garbage = write("garbage.key", "this is not a key\n");
        Path binary = dir.resolve("binary.key");
        Files.write(binary, new byte[] {(byte) 0xff, 0, (byte) 0xc3, 0x28});
        Path publicAsPrivate = write("public-as-private.key", OPENSSL_PUBLIC);
        Path truncated = write("truncated.key", OPENSSL_PRIVATE.substring(0, 60));
        Path notBase64 = write("not-base64.key", OPENSSL_PRIVATE.replace("MC4C", "M*4C"));
        Path damaged = write("damaged.key", OPENSSL_PRIVATE.replace("K2Vw", "K2Vx"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        Path rsaKey = write("rsa.key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path encrypted = write("encrypted.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");

        assertUnusable(garbage, "not PEM");
        assertUnusable(binary, "not PEM");
        assertUnusable(publicAsPrivate, "holds a PEM PUBLIC KEY, expected PRIVATE KEY");
        assertUnusable(truncated, "truncated PEM");
        assertUnusable(notBase64, "not base64");
        assertUnusable(damaged, "not an Ed25519 private key");
        assertUnusable(rsaKey, "not an Ed25519 private key");
        assertUnusable(encrypted, "encrypted keys are not supported");
        assertThatThrownBy(() -> SigningKeys.readPublicKey(write("private-as-public.pub", OPENSSL_PRIVATE)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("public key file").hasMessageContaining("expected PUBLIC KEY");
    }

    @Test
    void onlyEd25519KeysAreWritten() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();

        assertThatThrownBy(() -> SigningKeys.privateKeyPem(rsa.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an Ed25519 private key");
        assertThatThrownBy(() -> SigningKeys.publicKeyPem(KeyPairGenerator.getInstance("Ed448")
                .generateKeyPair().getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an Ed25519 public key");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.ISO_8859_1);
    }

    private static void assertUnusable(Path file, String reason) {
        assertThatThrownBy(() -> SigningKeys.readPrivateKey(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("signing key file " + file + " is unusable")
                .hasMessageContaining(reason);
    }
}
