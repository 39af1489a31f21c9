package dev.vigil.model.features;

/**
 * Hour of day and day of week as points on a circle (sin, cos), read from tables filled once with {@link StrictMath}
 * so that every JVM on every CPU computes the same floats (Math.sin may differ by an ulp between platforms).
 *
 * <p>Local time is approximated by mean solar time at the payment's longitude (UTC + lon / 15 hours) when the payment
 * has a location, else UTC: the canonical CSV carries no time zone, and a time zone table would be one more thing
 * for training and serving to disagree on. Resolution is one minute.
 */
final class DayCycle {

    static final long MINUTE_MILLIS = 60_000L;
    static final long DAY_MILLIS = 86_400_000L;
    private static final float[] HOUR_SIN = new float[1440];
    private static final float[] HOUR_COS = new float[1440];
    private static final float[] DOW_SIN = new float[7];
    private static final float[] DOW_COS = new float[7];

    static {
        for (int m = 0; m < 1440; m++) {
            double angle = 2 * StrictMath.PI * m / 1440.0;
            HOUR_SIN[m] = (float) StrictMath.sin(angle);
            HOUR_COS[m] = (float) StrictMath.cos(angle);
        }
        for (int d = 0; d < 7; d++) {
            double angle = 2 * StrictMath.PI * d / 7.0;
            DOW_SIN[d] = (float) StrictMath.sin(angle);
            DOW_COS[d] = (float) StrictMath.cos(angle);
        }
    }

    private DayCycle() {
    }

    /** Local (mean solar) time in epoch milliseconds; lon NaN means unknown: UTC. */
    static long localMillis(long utcMillis, float lon) {
        return Float.isNaN(lon) ? utcMillis : utcMillis + Math.round(lon * 240_000.0);
    }

    static float hourSin(long localMillis) {
        return HOUR_SIN[minuteOfDay(localMillis)];
    }

    static float hourCos(long localMillis) {
        return HOUR_COS[minuteOfDay(localMillis)];
    }

    /** Monday = 0. */
    static float dowSin(long localMillis) {
        return DOW_SIN[dayOfWeek(localMillis)];
    }

    static float dowCos(long localMillis) {
        return DOW_COS[dayOfWeek(localMillis)];
    }

    static int minuteOfDay(long localMillis) {
        return (int) (Math.floorMod(localMillis, DAY_MILLIS) / MINUTE_MILLIS);
    }

    /** Monday = 0 (1970-01-01 was a Thursday). */
    static int dayOfWeek(long localMillis) {
        return (int) Math.floorMod(Math.floorDiv(localMillis, DAY_MILLIS) + 3, 7L);
    }
}
