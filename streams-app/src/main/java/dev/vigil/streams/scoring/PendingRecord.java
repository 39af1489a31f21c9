package dev.vigil.streams.scoring;

import java.nio.ByteBuffer;

/**
 * A transaction read but not yet scored, as earlier versions kept it in the {@code pending} store until its batch was
 * scored: its offset (the store's key, big-endian), arrival time, key and value bytes as read. The store now holds only
 * the range of unscored offsets ({@link ScoringProcessor}); entries of this form are still read after an upgrade, so
 * that the transactions they hold are scored.
 */
public record PendingRecord(long offset, long arrivalMillis, byte[] key, byte[] value) {

    private static final byte FORMAT = 1;

    public static byte[] offsetKey(long offset) {
        return ByteBuffer.allocate(Long.BYTES).putLong(offset).array();
    }

    public byte[] encode() {
        int keyLength = key == null ? -1 : key.length;
        int valueLength = value == null ? -1 : value.length;
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + Math.max(0, keyLength) + 4 + Math.max(0, valueLength));
        b.put(FORMAT).putLong(offset).putLong(arrivalMillis).putInt(keyLength);
        if (key != null) {
            b.put(key);
        }
        b.putInt(valueLength);
        if (value != null) {
            b.put(value);
        }
        return b.array();
    }

    public static PendingRecord decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte format = b.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("pending record format " + format + ", this code reads " + FORMAT);
        }
        long offset = b.getLong();
        long arrival = b.getLong();
        byte[] key = read(b);
        byte[] value = read(b);
        return new PendingRecord(offset, arrival, key, value);
    }

    private static byte[] read(ByteBuffer b) {
        int length = b.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return bytes;
    }
}
