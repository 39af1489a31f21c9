package dev.vigil.model.features;

/** Distances on the Earth (haversine, mean radius), computed with {@link StrictMath} for the same result everywhere. */
final class GreatCircle {

    static final double EARTH_RADIUS_KM = 6371.0088;

    private GreatCircle() {
    }

    static double km(double lat1, double lon1, double lat2, double lon2) {
        double p1 = StrictMath.toRadians(lat1);
        double p2 = StrictMath.toRadians(lat2);
        double dp = p2 - p1;
        double dl = StrictMath.toRadians(lon2 - lon1);
        double sinP = StrictMath.sin(dp / 2);
        double sinL = StrictMath.sin(dl / 2);
        double h = sinP * sinP + StrictMath.cos(p1) * StrictMath.cos(p2) * sinL * sinL;
        return 2 * EARTH_RADIUS_KM * StrictMath.asin(Math.min(1.0, Math.sqrt(h)));
    }
}
