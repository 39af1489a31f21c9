package dev.vigil.simulator.generate;

import java.util.List;

/** The map of the simulation: the European region where cards and merchants are, and far-away places. */
final class Geography {

    /** Home cities, most populous first; a run uses the first few (more merchants, more cities). */
    static final List<City> REGION = List.of(
            new City("Paris", "FR", 48.8566, 2.3522, 60, 11.0),
            new City("London", "GB", 51.5074, -0.1278, 0, 9.0),
            new City("Madrid", "ES", 40.4168, -3.7038, 60, 6.5),
            new City("Berlin", "DE", 52.5200, 13.4050, 60, 6.0),
            new City("Barcelona", "ES", 41.3874, 2.1686, 60, 5.5),
            new City("Rome", "IT", 41.9028, 12.4964, 60, 4.3),
            new City("Milan", "IT", 45.4642, 9.1900, 60, 4.3),
            new City("Hamburg", "DE", 53.5511, 9.9937, 60, 3.2),
            new City("Athens", "GR", 37.9838, 23.7275, 120, 3.1),
            new City("Warsaw", "PL", 52.2297, 21.0122, 60, 3.1),
            new City("Munich", "DE", 48.1351, 11.5820, 60, 2.9),
            new City("Vienna", "AT", 48.2082, 16.3738, 60, 2.9),
            new City("Lisbon", "PT", 38.7223, -9.1393, 0, 2.9),
            new City("Amsterdam", "NL", 52.3676, 4.9041, 60, 2.5),
            new City("Lyon", "FR", 45.7640, 4.8357, 60, 2.3),
            new City("Brussels", "BE", 50.8503, 4.3517, 60, 2.1),
            new City("Marseille", "FR", 43.2965, 5.3698, 60, 1.9),
            new City("Stockholm", "SE", 59.3293, 18.0686, 60, 1.6),
            new City("Dublin", "IE", 53.3498, -6.2603, 0, 1.4),
            new City("Prague", "CZ", 50.0755, 14.4378, 60, 1.3));

    /**
     * Far from every home city: where account takeovers and card testers connect from, where some online merchants
     * are registered, and where VPN users appear to be.
     */
    static final List<City> FAR_AWAY = List.of(
            new City("New York", "US", 40.7128, -74.0060, -300, 1.0),
            new City("Sao Paulo", "BR", -23.5505, -46.6333, -180, 1.0),
            new City("Lagos", "NG", 6.5244, 3.3792, 60, 1.0),
            new City("Singapore", "SG", 1.3521, 103.8198, 480, 1.0),
            new City("Mumbai", "IN", 19.0760, 72.8777, 330, 1.0),
            new City("Bangkok", "TH", 13.7563, 100.5018, 420, 1.0),
            new City("Mexico City", "MX", 19.4326, -99.1332, -360, 1.0),
            new City("Istanbul", "TR", 41.0082, 28.9784, 180, 1.0),
            new City("Dubai", "AE", 25.2048, 55.2708, 240, 1.0),
            new City("Manila", "PH", 14.5995, 120.9842, 480, 1.0));

    /** Merchants per home city the run aims at; fewer merchants, fewer cities, so each city has real shops. */
    static final int MERCHANTS_PER_CITY = 60;
    static final int MIN_CITIES = 3;

    private Geography() {
    }

    static List<City> regionFor(int merchants) {
        int n = Math.max(MIN_CITIES, Math.min(REGION.size(), merchants / MERCHANTS_PER_CITY));
        return REGION.subList(0, n);
    }
}
