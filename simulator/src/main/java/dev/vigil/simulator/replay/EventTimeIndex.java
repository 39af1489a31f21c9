package dev.vigil.simulator.replay;

import java.util.Arrays;

/**
 * Where each row of a CSV lies and when it happened, in two primitive arrays: 16 bytes per row instead of a parsed
 * object (~500 bytes), so 10M rows sort in ~160 MB. Entry i is (event time in epoch millis, packed location), the
 * location being the line's byte offset (high 40 bits, files up to 1 TiB) and its length in bytes (low 24 bits).
 *
 * <p>{@link #sort} orders by event time, and rows with equal times by their offset: the file's own order, so a replay
 * of a file is deterministic even where timestamps collide.
 */
final class EventTimeIndex {

    static final int LENGTH_BITS = 24;
    /** The longest line the index can locate. */
    static final int MAX_LINE_BYTES = (1 << LENGTH_BITS) - 1;
    static final long MAX_OFFSET = (1L << (64 - LENGTH_BITS)) - 1;

    private long[] times;
    private long[] locations;
    private int size;
    private boolean inFileOrderSorted = true;

    EventTimeIndex() {
        this(1 << 14);
    }

    EventTimeIndex(int initialCapacity) {
        times = new long[Math.max(16, initialCapacity)];
        locations = new long[times.length];
    }

    /** Adds the next row in file order (offsets must grow). */
    void add(long eventTimeMillis, long offset, int length) {
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("offset out of range: " + offset);
        }
        if (length < 0 || length > MAX_LINE_BYTES) {
            throw new IllegalArgumentException("line length out of range: " + length);
        }
        if (size == times.length) {
            if (size == Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than " + size + " rows in one replay window");
            }
            int grown = (int) Math.min(Integer.MAX_VALUE - 8L, size + (size >> 1) + 16L);
            times = Arrays.copyOf(times, grown);
            locations = Arrays.copyOf(locations, grown);
        }
        if (size > 0 && eventTimeMillis < times[size - 1]) {
            inFileOrderSorted = false;
        }
        times[size] = eventTimeMillis;
        locations[size] = (offset << LENGTH_BITS) | length;
        size++;
    }

    int size() {
        return size;
    }

    /** True while every row added so far came no earlier than the one before it. */
    boolean addedInEventTimeOrder() {
        return inFileOrderSorted;
    }

    long eventTime(int i) {
        return times[i];
    }

    long offset(int i) {
        return locations[i] >>> LENGTH_BITS;
    }

    int length(int i) {
        return (int) (locations[i] & MAX_LINE_BYTES);
    }

    /** Sorts by (event time, offset); a no-op when the rows were added in order. */
    void sort() {
        if (inFileOrderSorted) {
            return;
        }
        introSort(0, size - 1, 2 * (32 - Integer.numberOfLeadingZeros(Math.max(size, 1))));
        inFileOrderSorted = true;
    }

    // An introsort on the (time, location) pairs: quicksort with median-of-three pivots, insertion sort for short
    // ranges, heapsort past a depth limit so no input is quadratic. Keys are unique (offsets are), so no three-way split.

    private void introSort(int lo, int hi, int depth) {
        while (hi - lo > 24) {
            if (depth-- == 0) {
                heapSort(lo, hi);
                return;
            }
            int mid = lo + ((hi - lo) >>> 1);
            if (less(mid, lo)) {
                swap(mid, lo);
            }
            if (less(hi, lo)) {
                swap(hi, lo);
            }
            if (less(hi, mid)) {
                swap(hi, mid);
            }
            long pivotTime = times[mid];
            long pivotLocation = locations[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (compare(times[i], locations[i], pivotTime, pivotLocation) < 0) {
                    i++;
                }
                while (compare(times[j], locations[j], pivotTime, pivotLocation) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(i, j);
                    i++;
                    j--;
                }
            }
            // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
            if (j - lo < hi - i) {
                introSort(lo, j, depth);
                lo = i;
            } else {
                introSort(i, hi, depth);
                hi = j;
            }
        }
        insertionSort(lo, hi);
    }

    private void insertionSort(int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            long t = times[i];
            long l = locations[i];
            int j = i - 1;
            while (j >= lo && compare(times[j], locations[j], t, l) > 0) {
                times[j + 1] = times[j];
                locations[j + 1] = locations[j];
                j--;
            }
            times[j + 1] = t;
            locations[j + 1] = l;
        }
    }

    private void heapSort(int lo, int hi) {
        int n = hi - lo + 1;
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(lo, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            swap(lo, lo + end);
            siftDown(lo, 0, end);
        }
    }

    private void siftDown(int lo, int root, int n) {
        while (true) {
            int child = 2 * root + 1;
            if (child >= n) {
                return;
            }
            if (child + 1 < n && less(lo + child, lo + child + 1)) {
                child++;
            }
            if (!less(lo + root, lo + child)) {
                return;
            }
            swap(lo + root, lo + child);
            root = child;
        }
    }

    private boolean less(int a, int b) {
        return compare(times[a], locations[a], times[b], locations[b]) < 0;
    }

    private static int compare(long timeA, long locationA, long timeB, long locationB) {
        int byTime = Long.compare(timeA, timeB);
        // The offset fills the high bits (up to the sign bit), so an unsigned compare orders locations by offset.
        return byTime != 0 ? byTime : Long.compareUnsigned(locationA, locationB);
    }

    private void swap(int a, int b) {
        long t = times[a];
        times[a] = times[b];
        times[b] = t;
        long l = locations[a];
        locations[a] = locations[b];
        locations[b] = l;
    }
}
