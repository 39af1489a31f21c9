package dev.vigil.simulator.generate;

/**
 * A merchant (one terminal, in the Handbook's terms): card-present ones trade at their location, online ones are
 * registered in their city.
 *
 * @param popularity relative share of the payments of its city and category it gets
 */
public record Merchant(int index, String id, Category category, Channel channel, City city, double lat, double lon,
                       double popularity) {

    public String country() {
        return city.country();
    }
}
