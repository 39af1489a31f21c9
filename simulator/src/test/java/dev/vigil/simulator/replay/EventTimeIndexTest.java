package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventTimeIndexTest {

    private record Entry(long time, long offset, int length) {
    }

    @Test
    void sortsByEventTimeAndKeepsFileOrderForEqualTimes() {
        Random random = new Random(7);
        for (int n : new int[] {0, 1, 2, 25, 1_000, 100_000}) {
            EventTimeIndex index = new EventTimeIndex(4);
            List<Entry> entries = new ArrayList<>();
            long offset = 0;
            for (int i = 0; i < n; i++) {
                // Few distinct times: many ties, which must come out in offset (file) order.
                Entry e = new Entry(1_700_000_000_000L + random.nextInt(Math.max(1, n / 10)) * 1000L, offset,
                        50 + random.nextInt(100));
                entries.add(e);
                index.add(e.time(), e.offset(), e.length());
                offset += e.length() + 1;
            }
            index.sort();
            entries.sort(Comparator.comparingLong(Entry::time).thenComparingLong(Entry::offset));
            assertThat(index.size()).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(new Entry(index.eventTime(i), index.offset(i), index.length(i))).isEqualTo(entries.get(i));
            }
        }
    }

    @Test
    void sortsReversedAndAdversarialInputs() {
        int n = 200_000;
        EventTimeIndex reversed = new EventTimeIndex();
        EventTimeIndex sawtooth = new EventTimeIndex();
        for (int i = 0; i < n; i++) {
            reversed.add(n - i, i * 10L, 9);
            sawtooth.add(i % 2 == 0 ? i : n - i, i * 10L, 9);
        }
        reversed.sort();
        sawtooth.sort();
        for (int i = 1; i < n; i++) {
            assertThat(reversed.eventTime(i)).isGreaterThanOrEqualTo(reversed.eventTime(i - 1));
            assertThat(sawtooth.eventTime(i)).isGreaterThanOrEqualTo(sawtooth.eventTime(i - 1));
        }
        assertThat(reversed.offset(0)).isEqualTo((n - 1) * 10L);
    }

    @Test
    void knowsWhenRowsCameInOrder() {
        EventTimeIndex index = new EventTimeIndex();
        index.add(1, 0, 5);
        index.add(1, 6, 5);
        index.add(2, 12, 5);
        assertThat(index.addedInEventTimeOrder()).isTrue();
        index.add(1, 18, 5);
        assertThat(index.addedInEventTimeOrder()).isFalse();
    }

    @Test
    void locatesLargeOffsetsAndLongLines() {
        EventTimeIndex index = new EventTimeIndex();
        index.add(2, EventTimeIndex.MAX_OFFSET, EventTimeIndex.MAX_LINE_BYTES);
        index.add(1, 5L << 32, 3);
        index.sort();
        assertThat(index.offset(0)).isEqualTo(5L << 32);
        assertThat(index.offset(1)).isEqualTo(EventTimeIndex.MAX_OFFSET);
        assertThat(index.length(1)).isEqualTo(EventTimeIndex.MAX_LINE_BYTES);
        assertThatThrownBy(() -> index.add(3, 0, EventTimeIndex.MAX_LINE_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
