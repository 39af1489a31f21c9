package dev.vigil.model.context;

import java.util.Arrays;

/**
 * A growable sorted array of longs (times in epoch milliseconds) with counts by binary search. Appending in order is
 * O(1); an out-of-order value is shifted into place, which is cheap when it is nearly in order (the usual case:
 * a history replayed in event-time order).
 */
final class SortedLongs {

    private long[] values = new long[4];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size + (size >> 1) + 4);
        }
        int at = size;
        while (at > 0 && values[at - 1] > value) {
            at--;
        }
        System.arraycopy(values, at, values, at + 1, size - at);
        values[at] = value;
        size++;
    }

    /** Removes one occurrence of value; false if there was none. */
    boolean remove(long value) {
        int at = countBelow(value);
        if (at == size || values[at] != value) {
            return false;
        }
        System.arraycopy(values, at + 1, values, at, size - at - 1);
        size--;
        return true;
    }

    /** How many values are &lt;= x. */
    int countAtMost(long x) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** How many values are &lt; x. */
    int countBelow(long x) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    long get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }
}
