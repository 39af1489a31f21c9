package dev.vigil.simulator.generate;

/**
 * A card and its holder's habits: where they live and how they spend. What changes over a run (devices, trips,
 * compromises) is kept by the run, not here.
 *
 * @param homeCity       index of the home city in the run's region
 * @param paymentsPerDay mean genuine payments per day (before the day-of-week pattern)
 * @param spendLevel     multiplier on every category's median amount: 1 is an average spender
 * @param onlineShare    share of genuine payments made online
 * @param vpnUser        some of this holder's online payments appear to come from far away
 * @param disputer       this holder sometimes disputes their own online purchases (friendly fraud)
 */
public record Card(int index, String id, int homeCity, double lat, double lon, double paymentsPerDay,
                   double spendLevel, double onlineShare, double[] categoryPreference, boolean vpnUser,
                   boolean disputer) {

    /** Relative liking for each {@link Category}, by ordinal; a copy. */
    @Override
    public double[] categoryPreference() {
        return categoryPreference.clone();
    }

    double preference(Category category) {
        return categoryPreference[category.ordinal()];
    }

    /** The median amount of a genuine payment of this card in a category, in major units. */
    public double typicalAmount(Category category) {
        return category.medianAmount() * spendLevel;
    }
}
