package dev.vigil.schemas;

import dev.vigil.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/**
 * Dead letters that always fit in a Kafka record. A record can be refused because it is too large or crafted to be
 * (a 540 KB card id, a value of nearly 1 MB); its dead letter, which carries its key, its value and a message that may
 * quote them, would then be refused by the producer in turn, and the stream would retry it forever. So the key, the
 * value and the message kept here are cut to {@link #MAX_KEY_BYTES}, {@link #MAX_VALUE_BYTES} and
 * {@link #MAX_MESSAGE_CHARS}, the original lengths are recorded, and {@code truncated} says whether anything was cut.
 * The same cut key is the dead letter's record key ({@link #recordKey}).
 */
public final class DeadLetters {

    /** The most of the original key kept (and used as the dead letter's own record key). */
    public static final int MAX_KEY_BYTES = 1024;
    /** The most of the original value kept: a quarter of Kafka's default 1 MB record limit. */
    public static final int MAX_VALUE_BYTES = 256 * 1024;
    /** The longest error message kept (characters). */
    public static final int MAX_MESSAGE_CHARS = 4096;

    private DeadLetters() {
    }

    /** Where the refused record came from. */
    public record Source(String topic, int partition, long offset) {}

    /**
     * A dead letter for the record at {@code source}, its key and value cut to fit.
     *
     * @param stage      where it failed (deserialize, validate, score, index, ...)
     * @param errorClass the class of the error, or a code
     */
    public static DeadLetter of(Source source, byte[] key, byte[] value, String stage, String errorClass, String message,
                                Instant failedTime, String applicationId) {
        String text = String.valueOf(message);
        boolean truncated = key != null && key.length > MAX_KEY_BYTES || value != null && value.length > MAX_VALUE_BYTES
                || text.length() > MAX_MESSAGE_CHARS;
        return DeadLetter.newBuilder()
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(cut(key, MAX_KEY_BYTES)))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(cut(value, MAX_VALUE_BYTES)))
                .setOriginalKeyLength(key == null ? null : key.length)
                .setOriginalValueLength(value == null ? null : value.length)
                .setTruncated(truncated)
                .setStage(stage)
                .setErrorClass(cutText(String.valueOf(errorClass), 256))
                .setErrorMessage(cutText(text, MAX_MESSAGE_CHARS))
                .setFailedTime(failedTime)
                .setApplicationId(applicationId)
                .build();
    }

    /** The dead letter's record key: the original key, cut as in the dead letter. */
    public static byte[] recordKey(byte[] key) {
        return key == null ? null : cut(key, MAX_KEY_BYTES);
    }

    /** {@code text} cut to {@code max} characters, saying how long it was. */
    public static String cutText(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        String tail = "... (" + text.length() + " characters, cut)";
        return text.substring(0, Math.max(0, max - tail.length())) + tail;
    }

    private static byte[] cut(byte[] bytes, int max) {
        return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }
}
