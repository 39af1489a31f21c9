package dev.vigil.model.adapter;

import dev.vigil.schemas.avro.AdapterRelease;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Ed25519 signatures over adapter releases, with the JDK's own provider (no extra library).
 *
 * <h2>Canonical bytes</h2>
 * What is signed is the Avro binary encoding (the bare body: no Confluent header, no schema id), under
 * {@link AdapterRelease#getClassSchema()}, of a copy of the release in which
 * <ul>
 *   <li>{@code signature} is an empty byte string (so every other field is covered, {@code signer_key_id} included:
 *       a signature cannot be moved to another key's name), and</li>
 *   <li>{@code metrics} is sorted by key ({@link String#compareTo}): Avro writes a map in its iteration order, and a
 *       decoded release holds a {@code HashMap}, so without this a release would not verify after a trip through
 *       Kafka.</li>
 * </ul>
 * Everything else in the Avro binary encoding is already deterministic (tensor order is the array's order, floats
 * are their IEEE bits, {@code created_time} is epoch milliseconds).
 *
 * <p>A consequence worth knowing: the canonical bytes are computed under the schema the verifier reads with. A later
 * schema version that adds fields must be signed and verified under the same version, or the added fields are
 * not covered and older readers cannot verify.
 */
public final class ReleaseSigning {

    /** JCA name of the signature and key algorithm. */
    public static final String ALGORITHM = "Ed25519";

    /** Length of an Ed25519 signature in bytes. */
    public static final int SIGNATURE_LENGTH = 64;

    private static final ByteBuffer EMPTY = ByteBuffer.wrap(new byte[0]);

    private ReleaseSigning() {}

    /** The bytes a signature covers, as described in the class comment. */
    public static byte[] canonicalBytes(AdapterRelease release) {
        Objects.requireNonNull(release, "release");
        AdapterRelease.Builder copy = AdapterRelease.newBuilder(release).setSignature(EMPTY.duplicate());
        Map<String, Double> metrics = release.getMetrics();
        copy.setMetrics(metrics == null ? new TreeMap<>() : new TreeMap<>(metrics));
        return avroBinary(copy.build());
    }

    /**
     * The release with {@code signer_key_id} set to {@code keyId} and {@code signature} set to the Ed25519 signature
     * of its canonical bytes. {@code release} itself is not changed.
     */
    public static AdapterRelease sign(AdapterRelease release, PrivateKey key, String keyId) {
        Objects.requireNonNull(release, "release");
        return sign(AdapterRelease.newBuilder(release), key, keyId);
    }

    /**
     * Builds the release from {@code builder} with {@code signer_key_id} = {@code keyId} and its signature. The
     * builder's own signature field, if any, is ignored (it is not part of the canonical bytes).
     */
    public static AdapterRelease sign(AdapterRelease.Builder builder, PrivateKey key, String keyId) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(key, "key");
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("a signing key id is required");
        }
        AdapterRelease unsigned = builder.setSignerKeyId(keyId).setSignature(EMPTY.duplicate()).build();
        unsigned.setSignature(ByteBuffer.wrap(signBytes(key, canonicalBytes(unsigned))));
        return unsigned;
    }

    /** The Ed25519 signature of {@code parts}, one after the other. */
    static byte[] signBytes(PrivateKey key, byte[]... parts) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            for (byte[] part : parts) {
                signer.update(part);
            }
            return signer.sign();
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm() + " ("
                    + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }

    /** True if {@code signature} is an Ed25519 signature of {@code parts} under {@code key}. */
    static boolean verifyBytes(PublicKey key, byte[] signature, byte[]... parts) {
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            for (byte[] part : parts) {
                verifier.update(part);
            }
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot verify Ed25519: " + e.getMessage(), e);
        }
    }

    /**
     * True if the release's signature is a valid Ed25519 signature of its canonical bytes under {@code key}. False
     * for a missing, truncated or wrong signature and for a key that is not an Ed25519 public key. Does not look at
     * {@code signer_key_id}: choosing the key for that id is the caller's job.
     */
    public static boolean verify(AdapterRelease release, PublicKey key) {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(key, "key");
        ByteBuffer signatureField = release.getSignature();
        if (signatureField == null || signatureField.remaining() != SIGNATURE_LENGTH) {
            return false;
        }
        byte[] signature = new byte[SIGNATURE_LENGTH];
        signatureField.duplicate().get(signature);
        return verifyBytes(key, signature, canonicalBytes(release));
    }

    /**
     * The bare Avro binary encoding of {@code release} under {@link AdapterRelease#getClassSchema()} (no registry
     * header): what the canonical bytes are made of, and how a scorer keeps its live release on disk.
     */
    public static byte[] avroBinary(AdapterRelease release) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(AdapterRelease.class).write(release, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode adapter release " + release.getVersion(), e);
        }
        return out.toByteArray();
    }
}
