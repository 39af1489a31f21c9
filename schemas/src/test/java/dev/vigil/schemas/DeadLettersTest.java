package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.DeadLetter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final DeadLetters.Source SOURCE = new DeadLetters.Source("payments.transactions", 3, 42);

    @Test
    void aSmallRecordIsKeptWholeAndSaysSo() {
        DeadLetter d = DeadLetters.of(SOURCE, "card".getBytes(), new byte[] {1, 2, 3}, "validate", "E", "bad",
                Instant.EPOCH, "app");
        assertThat(d.getTruncated()).isFalse();
        assertThat(d.getOriginalKey().remaining()).isEqualTo(4);
        assertThat(d.getOriginalValue().remaining()).isEqualTo(3);
        assertThat(d.getOriginalKeyLength()).isEqualTo(4);
        assertThat(d.getOriginalValueLength()).isEqualTo(3);
        assertThat(d.getSourcePartition()).isEqualTo(3);
        assertThat(d.getSourceOffset()).isEqualTo(42);
    }

    @Test
    void aHugeKeyValueAndMessageAreCutToFitAndTheOriginalLengthsKept() {
        byte[] key = new byte[540_000];
        byte[] value = new byte[1_000_000];
        DeadLetter d = DeadLetters.of(SOURCE, key, value, "validate", "E", "x".repeat(100_000), Instant.EPOCH, null);
        assertThat(d.getTruncated()).isTrue();
        assertThat(d.getOriginalKey().remaining()).isEqualTo(DeadLetters.MAX_KEY_BYTES);
        assertThat(d.getOriginalValue().remaining()).isEqualTo(DeadLetters.MAX_VALUE_BYTES);
        assertThat(d.getOriginalKeyLength()).isEqualTo(540_000);
        assertThat(d.getOriginalValueLength()).isEqualTo(1_000_000);
        assertThat(d.getErrorMessage()).hasSize(DeadLetters.MAX_MESSAGE_CHARS).endsWith("(100000 characters, cut)");
        assertThat(DeadLetters.recordKey(key)).hasSize(DeadLetters.MAX_KEY_BYTES);
    }

    @Test
    void noKeyAndNoValueStayAbsent() {
        DeadLetter d = DeadLetters.of(SOURCE, null, null, "deserialize", "E", null, Instant.EPOCH, null);
        assertThat(d.getOriginalKey()).isNull();
        assertThat(d.getOriginalValue()).isNull();
        assertThat(d.getOriginalKeyLength()).isNull();
        assertThat(d.getTruncated()).isFalse();
        assertThat(d.getErrorMessage()).isEqualTo("null");
        assertThat(DeadLetters.recordKey(null)).isNull();
    }
}
