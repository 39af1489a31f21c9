package dev.vigil.simulator.generate;

/**
 * A place where cards live and merchants trade, or from where fraudsters connect.
 *
 * @param utcOffsetMinutes fixed offset of local time (no daylight saving: the simulator keeps winter time all year)
 * @param weight           relative population: how many cards and merchants it gets
 */
public record City(String name, String country, double lat, double lon, int utcOffsetMinutes, double weight) {

    private static final double EARTH_RADIUS_KM = 6371.0;

    /** Great-circle distance in kilometres. */
    public static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = StrictMath.toRadians(lat2 - lat1);
        double dLon = StrictMath.toRadians(lon2 - lon1);
        double a = StrictMath.pow(StrictMath.sin(dLat / 2), 2) + StrictMath.cos(StrictMath.toRadians(lat1))
                * StrictMath.cos(StrictMath.toRadians(lat2)) * StrictMath.pow(StrictMath.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * StrictMath.asin(StrictMath.min(1.0, StrictMath.sqrt(a)));
    }

    public double distanceKm(City other) {
        return distanceKm(lat, lon, other.lat, other.lon);
    }
}
