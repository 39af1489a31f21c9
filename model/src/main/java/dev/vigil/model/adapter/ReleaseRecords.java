package dev.vigil.model.adapter;

import dev.vigil.schemas.avro.AdapterRelease;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How a release travels on {@code fraud.adapters}: its record key and the seal that lets a reader refuse a record
 * before decoding a byte of it.
 *
 * <h2>Key: one per release</h2>
 * A release is keyed {@code <base-model-hash>/<sequence>} ({@link #key}), so that compaction, which keeps the last
 * record per key, never drops a release for a later one: the topic keeps every release, and the highest sequence on
 * it is the highest ever published. (Releases keyed by the bare base-model hash, as before, are still read.)
 *
 * <h2>Seal: a signature over the raw record</h2>
 * Two headers carry the signer's key id ({@value #SIGNER_HEADER}) and an Ed25519 signature ({@value
 * #SIGNATURE_HEADER}) over the record's exact bytes: the key's length as 4 big-endian bytes, the key in UTF-8, then
 * the value as written (the Confluent wire format, schema id included). A reader checks the value's size and the
 * seal ({@link #check}) and only then decodes the Avro: an unsigned or forged record costs one signature check, never
 * an allocation its length fields ask for. Binding the key means a signed value copied under another release's key
 * does not verify.
 *
 * <p>The release keeps its own signature inside the record ({@link ReleaseSigning}): that one covers the release's
 * content whatever its encoding, so a release can be kept outside Kafka (the scorer's local copy of the live release)
 * and listed or rolled back to later.
 */
public final class ReleaseRecords {

    /** Header with the id ({@link SigningKeys#keyId}) of the key that sealed the record. */
    public static final String SIGNER_HEADER = "vigil.adapter.signer";
    /** Header with the Ed25519 signature over the record's key and value. */
    public static final String SIGNATURE_HEADER = "vigil.adapter.signature";
    /** The largest release value read or written: a rank-64 adapter of the served model is well under 1 MiB. */
    public static final int MAX_VALUE_BYTES = 8 * 1024 * 1024;
    /** Longest key id a reader accepts in the signer header. */
    private static final int MAX_KEY_ID_BYTES = 256;

    /** What {@link #check} found; only {@link #SEALED} may be decoded. */
    public enum Seal {
        SEALED, OVERSIZED, UNSIGNED, UNKNOWN_KEY, BAD_SIGNATURE;

        /** Lower-case code, e.g. {@code unsigned}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The verdict on one record, with the signer's key id when the header had a readable one. */
    public record Check(Seal seal, String keyId, String message) {
        public boolean sealed() {
            return seal == Seal.SEALED;
        }
    }

    private ReleaseRecords() {}

    /** The record key of a release: {@code <base-model-hash>/<sequence>}. */
    public static String key(String baseModelHash, long sequence) {
        return baseModelHash + "/" + sequence;
    }

    /** The base-model hash a record key names: the part before {@code /}, or the whole key for older records. */
    public static String baseOf(String key) {
        if (key == null) {
            return null;
        }
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    /**
     * The sealed record of {@code release}, whose {@code value} is its encoding for the topic (e.g. {@code
     * AvroSerde.encode}), keyed by {@link #key} and signed with {@code signingKey}.
     */
    public static ProducerRecord<byte[], byte[]> record(String topic, AdapterRelease release, byte[] value,
            PrivateKey signingKey, String keyId) {
        Objects.requireNonNull(release, "release");
        byte[] key = key(release.getBaseModelHash(), release.getSequence()).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, key, value, seal(key, value, signingKey, keyId));
    }

    /** The two seal headers for a record of this key and value. */
    public static Headers seal(byte[] key, byte[] value, PrivateKey signingKey, String keyId) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(signingKey, "signingKey");
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("a signing key id is required");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("an adapter release of " + value.length + " bytes is over the "
                    + MAX_VALUE_BYTES + "-byte limit");
        }
        byte[] signature = ReleaseSigning.signBytes(signingKey, covered(key, value));
        RecordHeaders headers = new RecordHeaders();
        headers.add(SIGNER_HEADER, keyId.getBytes(StandardCharsets.UTF_8));
        headers.add(SIGNATURE_HEADER, signature);
        return headers;
    }

    /**
     * Checks a record's size and seal against the trusted keys (by {@link SigningKeys#keyId}), reading nothing of
     * the value but its bytes. A tombstone (null value) is not for this method.
     */
    public static Check check(byte[] key, byte[] value, Headers headers, Map<String, PublicKey> trusted) {
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_VALUE_BYTES) {
            return new Check(Seal.OVERSIZED, null, "record of " + value.length + " bytes is over the "
                    + MAX_VALUE_BYTES + "-byte limit for an adapter release");
        }
        byte[] signer = last(headers, SIGNER_HEADER);
        byte[] signature = last(headers, SIGNATURE_HEADER);
        if (signer == null || signature == null) {
            return new Check(Seal.UNSIGNED, null, "record has no " + (signer == null ? SIGNER_HEADER
                    : SIGNATURE_HEADER) + " header: it was not published by a Vigil signer");
        }
        if (signer.length == 0 || signer.length > MAX_KEY_ID_BYTES) {
            return new Check(Seal.UNKNOWN_KEY, null, "record's " + SIGNER_HEADER + " header is "
                    + signer.length + " bytes, not a key id");
        }
        String keyId = new String(signer, StandardCharsets.UTF_8);
        PublicKey publicKey = trusted.get(keyId);
        if (publicKey == null) {
            return new Check(Seal.UNKNOWN_KEY, keyId, "record is sealed by key '" + keyId + "', which is not trusted"
                    + " (trusted: " + trusted.keySet() + ")");
        }
        if (!ReleaseSigning.verifyBytes(publicKey, signature, covered(key, value))) {
            return new Check(Seal.BAD_SIGNATURE, keyId, "record's seal does not verify under trusted key " + keyId
                    + ": its key or value was changed after signing, or another key signed it");
        }
        return new Check(Seal.SEALED, keyId, "sealed by " + keyId);
    }

    /** What a seal covers, in order: the key's length as 4 big-endian bytes, the key, the value. */
    private static byte[][] covered(byte[] key, byte[] value) {
        byte[] k = key == null ? new byte[0] : key;
        return new byte[][] {ByteBuffer.allocate(Integer.BYTES).putInt(k.length).array(), k, value};
    }

    private static byte[] last(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header header = headers.lastHeader(name);
        return header == null ? null : header.value();
    }
}
