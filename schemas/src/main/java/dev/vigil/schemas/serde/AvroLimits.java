package dev.vigil.schemas.serde;

/**
 * Avro's own bounds on what one length field may claim, set for every Vigil process before the first decode. Avro
 * allocates what a string, bytes or collection length says before it reads the data, so a 13-byte record that
 * claims a 2 GB string is an {@code OutOfMemoryError} without them; with them it is a
 * {@code org.apache.avro.SystemLimitException}, which the readers turn into a dead letter or a counted rejection.
 * Nothing Vigil reads comes near: a Kafka record is at most 1 MB by default, and the longest array (an adapter's
 * tensors) has tens of items. Avro reads these properties once, when its limit class is first used, so they are set
 * from {@link AvroSerde}'s static initializer; a value already set (e.g. with {@code -D}) is kept.
 */
public final class AvroLimits {

    public static final String STRING_PROPERTY = "org.apache.avro.limits.string.maxLength";
    public static final String BYTES_PROPERTY = "org.apache.avro.limits.bytes.maxLength";
    public static final String COLLECTION_PROPERTY = "org.apache.avro.limits.collectionItems.maxLength";

    /** The longest string or bytes value one field may claim: Kafka's default largest record. */
    public static final int MAX_LENGTH = 1 << 20;
    /** The most items one array or map may claim. */
    public static final int MAX_ITEMS = 1 << 16;

    private AvroLimits() {
    }

    /** Sets the limits unless already set. Idempotent. */
    public static synchronized void install() {
        setIfAbsent(STRING_PROPERTY, MAX_LENGTH);
        setIfAbsent(BYTES_PROPERTY, MAX_LENGTH);
        setIfAbsent(COLLECTION_PROPERTY, MAX_ITEMS);
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
