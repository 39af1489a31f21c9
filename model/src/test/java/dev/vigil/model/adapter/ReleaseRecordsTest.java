package dev.vigil.model.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.adapter.ReleaseRecords.Seal;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ReleaseRecordsTest {

    private static final KeyPair KEYS = SigningKeys.generate();
    private static final String KEY_ID = SigningKeys.keyId(KEYS.getPublic());
    private static final Map<String, PublicKey> TRUSTED = Map.of(KEY_ID, KEYS.getPublic());
    private static final byte[] KEY = "abc123/7".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {0, 0, 0, 0, 1, 42, 43, 44};

    @Test
    void aRecordIsKeyedByBaseModelAndSequenceAndItsSealVerifies() {
        var release = new UnsignedRelease(ReleaseSigningTest.smallAdapter(1), "7", "6", 7, "abc123",
                java.time.Instant.EPOCH, Map.of(), null).signWith(KEYS.getPrivate(), KEY_ID);

        ProducerRecord<byte[], byte[]> record = ReleaseRecords.record("fraud.adapters", release, VALUE,
                KEYS.getPrivate(), KEY_ID);

        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("abc123/7");
        assertThat(ReleaseRecords.baseOf("abc123/7")).isEqualTo("abc123");
        assertThat(ReleaseRecords.baseOf("abc123")).as("a key from before keys carried the sequence")
                .isEqualTo("abc123");
        ReleaseRecords.Check check = ReleaseRecords.check(record.key(), record.value(), record.headers(), TRUSTED);
        assertThat(check.sealed()).as(check.message()).isTrue();
        assertThat(check.keyId()).isEqualTo(KEY_ID);
    }

    @Test
    void aSealCoversEveryByteOfKeyAndValue() {
        Headers seal = ReleaseRecords.seal(KEY, VALUE, KEYS.getPrivate(), KEY_ID);
        for (int i = 0; i < VALUE.length; i++) {
            byte[] changed = VALUE.clone();
            changed[i] ^= 1;
            assertThat(ReleaseRecords.check(KEY, changed, seal, TRUSTED).seal()).as("value byte %d", i)
                    .isEqualTo(Seal.BAD_SIGNATURE);
        }
        byte[] otherKey = "abc123/9".getBytes(StandardCharsets.UTF_8);
        assertThat(ReleaseRecords.check(otherKey, VALUE, seal, TRUSTED).seal())
                .as("a sealed value copied under another release's key").isEqualTo(Seal.BAD_SIGNATURE);
        assertThat(ReleaseRecords.check(KEY, VALUE, seal, TRUSTED).seal()).isEqualTo(Seal.SEALED);
    }

    @Test
    void unsignedForeignTruncatedAndOversizedRecordsAreRefusedWithoutReadingThem() {
        assertThat(ReleaseRecords.check(KEY, VALUE, new RecordHeaders(), TRUSTED).seal()).isEqualTo(Seal.UNSIGNED);
        assertThat(ReleaseRecords.check(KEY, VALUE, null, TRUSTED).seal()).isEqualTo(Seal.UNSIGNED);

        KeyPair stranger = SigningKeys.generate();
        Headers foreign = ReleaseRecords.seal(KEY, VALUE, stranger.getPrivate(),
                SigningKeys.keyId(stranger.getPublic()));
        assertThat(ReleaseRecords.check(KEY, VALUE, foreign, TRUSTED).seal()).isEqualTo(Seal.UNKNOWN_KEY);

        Headers impostor = ReleaseRecords.seal(KEY, VALUE, stranger.getPrivate(), KEY_ID);
        assertThat(ReleaseRecords.check(KEY, VALUE, impostor, TRUSTED).seal()).isEqualTo(Seal.BAD_SIGNATURE);

        Headers truncated = new RecordHeaders();
        truncated.add(ReleaseRecords.SIGNER_HEADER, KEY_ID.getBytes(StandardCharsets.UTF_8));
        truncated.add(ReleaseRecords.SIGNATURE_HEADER, new byte[12]);
        assertThat(ReleaseRecords.check(KEY, VALUE, truncated, TRUSTED).seal()).isEqualTo(Seal.BAD_SIGNATURE);

        Headers longId = new RecordHeaders();
        longId.add(ReleaseRecords.SIGNER_HEADER, new byte[100_000]);
        longId.add(ReleaseRecords.SIGNATURE_HEADER, new byte[64]);
        assertThat(ReleaseRecords.check(KEY, VALUE, longId, TRUSTED).seal()).isEqualTo(Seal.UNKNOWN_KEY);

        byte[] huge = new byte[ReleaseRecords.MAX_VALUE_BYTES + 1];
        ReleaseRecords.Check oversized = ReleaseRecords.check(KEY, huge, ReleaseRecords.seal(KEY, VALUE,
                KEYS.getPrivate(), KEY_ID), TRUSTED);
        assertThat(oversized.seal()).isEqualTo(Seal.OVERSIZED);
        assertThat(oversized.message()).contains("8388609 bytes");
        assertThatThrownBy(() -> ReleaseRecords.seal(KEY, huge, KEYS.getPrivate(), KEY_ID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the");
    }
}
