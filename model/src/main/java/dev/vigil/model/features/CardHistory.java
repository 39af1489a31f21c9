package dev.vigil.model.features;

import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.time.Duration;
import java.util.Arrays;

/**
 * What Vigil remembers of one card: the streams app keeps it in a RocksDB state store (value of the card id, with a
 * changelog), the trainer in a map. Both call {@link #update} in the same way and the features read it through
 * {@link FeatureEncoder}, so a payment's card features are the same in training and serving.
 *
 * <p>Three parts:
 * <ul>
 *   <li><b>recent</b>: the card's last {@code recentCapacity} payments (the sequence shows L - 1 of them before the
 *       current one), whatever their age: time, amount, hashed merchant, category, country and device, channel,
 *       location.</li>
 *   <li><b>window</b>: (time, amount) of every payment within {@link #WINDOW_RETENTION} of the newest one, at most
 *       {@link #WINDOW_CAP} (the oldest go first): the 1/7/30-day counts and sums. A card paying more than 17 times a
 *       day has its 30-day count saturate at the cap, in training and serving alike.</li>
 *   <li><b>devices</b>: up to {@link #DEVICE_CAP} device hashes with first and last use; the least recently used goes
 *       first. A device is "new to the card" when it is not here with a first use before the payment.</li>
 * </ul>
 *
 * <p><b>Time only moves forward.</b> Entries are kept sorted by event time, and the features of a payment at t read
 * only entries with time &lt; t, whatever else the state holds. A payment that arrives late (event time before the
 * newest entry) is scored with the state as it is, which then hides everything at or after its own time, and is
 * inserted in time order. Its features are exactly those it would have had in order, except where a later payment
 * already pushed an entry it needed out of a capped list (recent, window cap, devices) or where it is more than
 * one day late (the window keeps 31 days, the features use 30). Ties (same millisecond) keep arrival order.
 *
 * <p><b>Encoding</b> ({@link #encode()}, {@link #decode(byte[])}): version byte {@link #FORMAT_VERSION}, then
 * varints (times as zigzag deltas), floats as raw bits, hashes as 4 bytes only when present. A typical card (15
 * recent payments, 60 in the window, one device) is about 1 KB (mean 1,053 bytes after 60 simulated days); the worst
 * case (window full) about 5 KB.
 * Decoding gives back exactly the same state (same floats, same order), tested.
 *
 * <p>Not thread-safe; one card's state is touched by one stream thread at a time.
 */
public final class CardHistory {

    public static final byte FORMAT_VERSION = 1;
    /** The most (time, amount) entries the window keeps. */
    public static final int WINDOW_CAP = 512;
    /** How long the window keeps entries, measured from the newest: 30 days for the features plus 1 day for late payments. */
    public static final Duration WINDOW_RETENTION = Duration.ofDays(31);
    /** The most devices remembered per card. */
    public static final int DEVICE_CAP = 8;

    static final byte HAS_CATEGORY = 1;
    static final byte HAS_COUNTRY = 2;
    static final byte HAS_DEVICE = 4;
    static final byte HAS_LOCATION = 8;

    private static final long RETENTION_MILLIS = WINDOW_RETENTION.toMillis();

    private final int recentCapacity;
    // recent payments, oldest first
    long[] recentTime;
    float[] recentAmount;
    int[] recentMerchant;
    int[] recentCategory;
    int[] recentCountry;
    int[] recentDevice;
    byte[] recentChannel;
    float[] recentLat;
    float[] recentLon;
    int recentSize;
    // window, oldest first
    long[] windowTime = new long[8];
    float[] windowAmount = new float[8];
    int windowSize;
    // devices, in no particular order
    int[] deviceHash = new int[DEVICE_CAP];
    long[] deviceFirst = new long[DEVICE_CAP];
    long[] deviceLast = new long[DEVICE_CAP];
    int deviceCount;
    long newestTime = Long.MIN_VALUE;

    private CardHistory(int recentCapacity) {
        if (recentCapacity < 1 || recentCapacity > 255) {
            throw new IllegalArgumentException("recent capacity must be in [1, 255]: " + recentCapacity);
        }
        this.recentCapacity = recentCapacity;
        recentTime = new long[recentCapacity];
        recentAmount = new float[recentCapacity];
        recentMerchant = new int[recentCapacity];
        recentCategory = new int[recentCapacity];
        recentCountry = new int[recentCapacity];
        recentDevice = new int[recentCapacity];
        recentChannel = new byte[recentCapacity];
        recentLat = new float[recentCapacity];
        recentLon = new float[recentCapacity];
    }

    /** A card never seen, keeping the last {@code spec.seqLen() - 1} payments: what the sequence shows. */
    public static CardHistory empty(FeatureSpec spec) {
        return new CardHistory(spec.seqLen() - 1);
    }

    /** A card never seen, keeping its last {@code recentCapacity} payments. */
    public static CardHistory empty(int recentCapacity) {
        return new CardHistory(recentCapacity);
    }

    public int recentCapacity() {
        return recentCapacity;
    }

    /** Payments in the recent list. */
    public int recentSize() {
        return recentSize;
    }

    /** Entries in the window. */
    public int windowSize() {
        return windowSize;
    }

    /** Devices remembered. */
    public int deviceCount() {
        return deviceCount;
    }

    /** The newest event time seen, or null for a card never seen. */
    public java.time.Instant newestTime() {
        return newestTime == Long.MIN_VALUE ? null : java.time.Instant.ofEpochMilli(newestTime);
    }

    /** Adds a payment (after its features were computed from the state before it). */
    public void update(Payment p) {
        long t = p.eventMillis();
        newestTime = Math.max(newestTime, t);
        float amount = (float) p.amountMajor();
        addRecent(p, t, amount);
        addToWindow(t, amount);
        if (p.deviceId() != null) {
            addDevice(StableHash.of(p.deviceId()), t);
        }
    }

    private void addRecent(Payment p, long t, float amount) {
        int at = insertionPoint(recentTime, recentSize, t);
        if (recentSize == recentCapacity) {
            if (at == 0) {
                return; // older than every payment kept: it would be the first to go
            }
            shiftRecent(1, 0, at - 1); // drop the oldest
            at--;
        } else {
            shiftRecent(at, at + 1, recentSize - at);
            recentSize++;
        }
        recentTime[at] = t;
        recentAmount[at] = amount;
        recentMerchant[at] = StableHash.of(p.merchantId());
        recentCategory[at] = StableHash.of(p.merchantCategory());
        recentCountry[at] = StableHash.of(p.country());
        recentDevice[at] = StableHash.of(p.deviceId());
        recentChannel[at] = (byte) p.channelKind().ordinal();
        recentLat[at] = p.hasLocation() ? (float) (double) p.lat() : Float.NaN;
        recentLon[at] = p.hasLocation() ? (float) (double) p.lon() : Float.NaN;
    }

    private void shiftRecent(int from, int to, int count) {
        System.arraycopy(recentTime, from, recentTime, to, count);
        System.arraycopy(recentAmount, from, recentAmount, to, count);
        System.arraycopy(recentMerchant, from, recentMerchant, to, count);
        System.arraycopy(recentCategory, from, recentCategory, to, count);
        System.arraycopy(recentCountry, from, recentCountry, to, count);
        System.arraycopy(recentDevice, from, recentDevice, to, count);
        System.arraycopy(recentChannel, from, recentChannel, to, count);
        System.arraycopy(recentLat, from, recentLat, to, count);
        System.arraycopy(recentLon, from, recentLon, to, count);
    }

    private void addToWindow(long t, float amount) {
        long horizon = newestTime - RETENTION_MILLIS; // entries at or before it can never be in a 30-day window again
        int expired = 0;
        while (expired < windowSize && windowTime[expired] <= horizon) {
            expired++;
        }
        removeWindowHead(expired);
        if (t <= horizon) {
            return;
        }
        if (windowSize == windowTime.length) {
            int capacity = Math.min(WINDOW_CAP + 1, windowSize * 2);
            windowTime = Arrays.copyOf(windowTime, capacity);
            windowAmount = Arrays.copyOf(windowAmount, capacity);
        }
        int at = insertionPoint(windowTime, windowSize, t);
        System.arraycopy(windowTime, at, windowTime, at + 1, windowSize - at);
        System.arraycopy(windowAmount, at, windowAmount, at + 1, windowSize - at);
        windowTime[at] = t;
        windowAmount[at] = amount;
        windowSize++;
        if (windowSize > WINDOW_CAP) {
            removeWindowHead(windowSize - WINDOW_CAP);
        }
    }

    private void removeWindowHead(int count) {
        if (count > 0) {
            System.arraycopy(windowTime, count, windowTime, 0, windowSize - count);
            System.arraycopy(windowAmount, count, windowAmount, 0, windowSize - count);
            windowSize -= count;
        }
    }

    private void addDevice(int hash, long t) {
        for (int i = 0; i < deviceCount; i++) {
            if (deviceHash[i] == hash) {
                deviceFirst[i] = Math.min(deviceFirst[i], t);
                deviceLast[i] = Math.max(deviceLast[i], t);
                return;
            }
        }
        int slot = deviceCount;
        if (deviceCount == DEVICE_CAP) {
            slot = 0;
            for (int i = 1; i < deviceCount; i++) {
                if (deviceLast[i] < deviceLast[slot]) {
                    slot = i;
                }
            }
        } else {
            deviceCount++;
        }
        deviceHash[slot] = hash;
        deviceFirst[slot] = t;
        deviceLast[slot] = t;
    }

    /** The index after the last entry with time &lt;= t: inserting there keeps order and arrival order of ties. */
    private static int insertionPoint(long[] times, int size, long t) {
        int at = size;
        while (at > 0 && times[at - 1] > t) {
            at--;
        }
        return at;
    }

    // ---- reads for the encoder: everything "as of t" means strictly before t ----

    /** Recent payments with time &lt; t: they are recent[0, n). */
    int recentBefore(long t) {
        return countBelow(recentTime, recentSize, t);
    }

    /** Window entries with time &lt; t: they are window[0, n). */
    int windowBefore(long t) {
        return countBelow(windowTime, windowSize, t);
    }

    /** Window entries with time &lt;= t. */
    int windowAtMost(long t) {
        return countBelow(windowTime, windowSize, t == Long.MAX_VALUE ? t : t + 1);
    }

    /** The first use of a device before t, or Long.MAX_VALUE if the card had not used it (or forgot it) by then. */
    long deviceFirstUseBefore(int hash, long t) {
        for (int i = 0; i < deviceCount; i++) {
            if (deviceHash[i] == hash && deviceFirst[i] < t) {
                return deviceFirst[i];
            }
        }
        return Long.MAX_VALUE;
    }

    private static int countBelow(long[] times, int size, long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ---- encoding ----

    /** The compact binary form (see the class comment). */
    public byte[] encode() {
        Out out = Out.scratch(64 + recentSize * 40 + windowSize * 14 + deviceCount * 24);
        out.write(FORMAT_VERSION);
        out.write(recentCapacity);
        out.varlong(newestTime == Long.MIN_VALUE ? 0 : 1);
        if (newestTime != Long.MIN_VALUE) {
            out.zigzag(newestTime);
        }
        out.varlong(recentSize);
        long previous = 0;
        for (int i = 0; i < recentSize; i++) {
            out.zigzag(recentTime[i] - previous);
            previous = recentTime[i];
            out.int32(Float.floatToRawIntBits(recentAmount[i]));
            out.int32(recentMerchant[i]);
            byte flags = 0;
            flags |= recentCategory[i] != StableHash.ABSENT ? HAS_CATEGORY : 0;
            flags |= recentCountry[i] != StableHash.ABSENT ? HAS_COUNTRY : 0;
            flags |= recentDevice[i] != StableHash.ABSENT ? HAS_DEVICE : 0;
            flags |= !Float.isNaN(recentLat[i]) ? HAS_LOCATION : 0;
            out.write(flags);
            out.write(recentChannel[i]);
            if ((flags & HAS_CATEGORY) != 0) {
                out.int32(recentCategory[i]);
            }
            if ((flags & HAS_COUNTRY) != 0) {
                out.int32(recentCountry[i]);
            }
            if ((flags & HAS_DEVICE) != 0) {
                out.int32(recentDevice[i]);
            }
            if ((flags & HAS_LOCATION) != 0) {
                out.int32(Float.floatToRawIntBits(recentLat[i]));
                out.int32(Float.floatToRawIntBits(recentLon[i]));
            }
        }
        out.varlong(windowSize);
        previous = 0;
        for (int i = 0; i < windowSize; i++) {
            out.zigzag(windowTime[i] - previous);
            previous = windowTime[i];
            out.int32(Float.floatToRawIntBits(windowAmount[i]));
        }
        out.varlong(deviceCount);
        for (int i = 0; i < deviceCount; i++) {
            out.int32(deviceHash[i]);
            out.zigzag(deviceFirst[i]);
            out.zigzag(deviceLast[i] - deviceFirst[i]);
        }
        return out.toByteArray();
    }

    /** Reads {@link #encode()}'s output; a wrong version or a truncated value is an IllegalArgumentException. */
    public static CardHistory decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte version = in.get();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("card history format version " + version + ", this code reads "
                        + FORMAT_VERSION);
            }
            CardHistory h = new CardHistory(in.get() & 0xff);
            if (readVarlong(in) == 1) {
                h.newestTime = readZigzag(in);
            }
            int recent = count(readVarlong(in), h.recentCapacity, "recent payments");
            long previous = 0;
            for (int i = 0; i < recent; i++) {
                previous += readZigzag(in);
                h.recentTime[i] = previous;
                h.recentAmount[i] = Float.intBitsToFloat(in.getInt());
                h.recentMerchant[i] = in.getInt();
                byte flags = in.get();
                h.recentChannel[i] = in.get();
                if (h.recentChannel[i] < 0 || h.recentChannel[i] >= PaymentChannel.values().length) {
                    throw new IllegalArgumentException("card history: bad channel " + h.recentChannel[i]);
                }
                h.recentCategory[i] = (flags & HAS_CATEGORY) != 0 ? in.getInt() : StableHash.ABSENT;
                h.recentCountry[i] = (flags & HAS_COUNTRY) != 0 ? in.getInt() : StableHash.ABSENT;
                h.recentDevice[i] = (flags & HAS_DEVICE) != 0 ? in.getInt() : StableHash.ABSENT;
                h.recentLat[i] = (flags & HAS_LOCATION) != 0 ? Float.intBitsToFloat(in.getInt()) : Float.NaN;
                h.recentLon[i] = (flags & HAS_LOCATION) != 0 ? Float.intBitsToFloat(in.getInt()) : Float.NaN;
            }
            h.recentSize = recent;
            int window = count(readVarlong(in), WINDOW_CAP, "window entries");
            h.windowTime = new long[Math.max(8, window)];
            h.windowAmount = new float[Math.max(8, window)];
            previous = 0;
            for (int i = 0; i < window; i++) {
                previous += readZigzag(in);
                h.windowTime[i] = previous;
                h.windowAmount[i] = Float.intBitsToFloat(in.getInt());
            }
            h.windowSize = window;
            int devices = count(readVarlong(in), DEVICE_CAP, "devices");
            for (int i = 0; i < devices; i++) {
                h.deviceHash[i] = in.getInt();
                h.deviceFirst[i] = readZigzag(in);
                h.deviceLast[i] = h.deviceFirst[i] + readZigzag(in);
            }
            h.deviceCount = devices;
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("card history: " + in.remaining() + " bytes left over");
            }
            return h;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("card history: truncated value of " + bytes.length + " bytes");
        }
    }

    private static int count(long value, int max, String what) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("card history: " + value + " " + what + ", at most " + max);
        }
        return (int) value;
    }

    private static long readVarlong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("card history: varint longer than 10 bytes");
    }

    private static long readZigzag(ByteBuffer in) {
        long v = readVarlong(in);
        return (v >>> 1) ^ -(v & 1);
    }

    /** A growable byte buffer without ByteArrayOutputStream's locking; one per thread, reused by every encode. */
    private static final class Out {
        private static final ThreadLocal<Out> SCRATCH = ThreadLocal.withInitial(() -> new Out(1024));

        byte[] buf;
        int pos;

        private Out(int size) {
            buf = new byte[size];
        }

        static Out scratch(int expected) {
            Out out = SCRATCH.get();
            out.pos = 0;
            if (out.buf.length < expected) {
                out.buf = new byte[Integer.highestOneBit(expected) << 1];
            }
            return out;
        }

        void write(int b) {
            if (pos == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[pos++] = (byte) b;
        }

        void varlong(long v) {
            while ((v & ~0x7fL) != 0) {
                write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void zigzag(long v) {
            varlong((v << 1) ^ (v >> 63));
        }

        void int32(int v) {
            if (pos + 4 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[pos] = (byte) (v >>> 24);
            buf[pos + 1] = (byte) (v >>> 16);
            buf[pos + 2] = (byte) (v >>> 8);
            buf[pos + 3] = (byte) v;
            pos += 4;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Equal when every entry is equal, bit for bit: what a decode of an encode must give. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CardHistory h && Arrays.equals(encode(), h.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "CardHistory[recent " + recentSize + "/" + recentCapacity + ", window " + windowSize + ", devices "
                + deviceCount + ", newest " + newestTime() + "]";
    }
}
