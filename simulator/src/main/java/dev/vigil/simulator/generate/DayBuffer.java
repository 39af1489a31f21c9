package dev.vigil.simulator.generate;

import java.util.Arrays;

/**
 * One day's payments while they are made, in compact columns (a few dozen bytes a payment), so a day of millions
 * fits in a small heap. Payments come in any order; {@link #eventTimeOrder} sorts them.
 */
final class DayBuffer {
    static final int NO_DEVICE = -1;

    final int day;
    final long startEpochSecond;
    private final double minorPerMajor;
    int size;
    int[] second;
    int[] card;
    int[] merchant;
    long[] amountMinor;
    int[] device;
    int[] latE4;
    int[] lonE4;
    byte[] scenario;
    final int[] incidents = new int[Scenario.values().length];

    DayBuffer(int day, long startEpochSecond, int fractionDigits, int expected) {
        this.day = day;
        this.startEpochSecond = startEpochSecond;
        this.minorPerMajor = StrictMath.pow(10, fractionDigits);
        int capacity = Math.max(16, expected);
        second = new int[capacity];
        card = new int[capacity];
        merchant = new int[capacity];
        amountMinor = new long[capacity];
        device = new int[capacity];
        latE4 = new int[capacity];
        lonE4 = new int[capacity];
        scenario = new byte[capacity];
    }

    /**
     * Adds a payment.
     *
     * @param secondOfDay UTC second of this day, 0-86399
     * @param amount      in major units; rounded to the currency's minor unit, never below one
     * @param lat         where it happened: the terminal (card present) or the payer's IP location (online)
     */
    void add(int secondOfDay, int cardIndex, int merchantIndex, double amount, int deviceNumber, double lat,
             double lon, Scenario what) {
        if (size == second.length) {
            grow();
        }
        second[size] = secondOfDay;
        card[size] = cardIndex;
        merchant[size] = merchantIndex;
        amountMinor[size] = Math.max(1, Math.round(amount * minorPerMajor));
        device[size] = deviceNumber;
        latE4[size] = (int) Math.round(lat * 1e4);
        lonE4[size] = (int) Math.round(lon * 1e4);
        scenario[size] = (byte) what.ordinal();
        size++;
    }

    /** Counts one more fraud incident (a compromise, a takeover, a test run...) begun today. */
    void incident(Scenario what) {
        incidents[what.ordinal()]++;
    }

    /** Indices of the payments by event time; payments in the same second keep the order they were made in. */
    int[] eventTimeOrder() {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = ((long) second[i] << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    private void grow() {
        int capacity = second.length + (second.length >> 1);
        second = Arrays.copyOf(second, capacity);
        card = Arrays.copyOf(card, capacity);
        merchant = Arrays.copyOf(merchant, capacity);
        amountMinor = Arrays.copyOf(amountMinor, capacity);
        device = Arrays.copyOf(device, capacity);
        latE4 = Arrays.copyOf(latE4, capacity);
        lonE4 = Arrays.copyOf(lonE4, capacity);
        scenario = Arrays.copyOf(scenario, capacity);
    }
}
