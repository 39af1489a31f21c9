package dev.vigil.simulator.generate;

/**
 * Merchant categories: how much of a typical card's spending goes where, per channel, what a payment there costs, and
 * when people pay there. Amounts are drawn on a euro scale whatever the currency.
 */
public enum Category {
    GROCERY("grocery", 30, 3, 32.0, 0.65, DailyRhythm.SHOP, 1.2),
    FUEL("fuel", 12, 0, 55.0, 0.35, DailyRhythm.FUEL, 0.8),
    RESTAURANT("restaurant", 20, 4, 26.0, 0.55, DailyRhythm.RESTAURANT, 1.4),
    PHARMACY("pharmacy", 6, 1, 18.0, 0.6, DailyRhythm.SHOP, 0.6),
    CLOTHING("clothing", 7, 8, 55.0, 0.7, DailyRhythm.SHOP, 1.4),
    ELECTRONICS("electronics", 3, 6, 120.0, 0.9, DailyRhythm.SHOP, 1.2),
    TRAVEL("travel", 1, 5, 260.0, 0.8, DailyRhythm.SHOP, 1.0),
    ENTERTAINMENT("entertainment", 6, 3, 30.0, 0.6, DailyRhythm.EVENING, 1.8),
    ONLINE_RETAIL("online_retail", 0, 30, 38.0, 0.85, DailyRhythm.ONLINE, 1.1),
    GAMING("gaming", 0, 8, 15.0, 0.9, DailyRhythm.ONLINE, 1.4),
    DIGITAL_GOODS("digital_goods", 0, 14, 9.0, 0.8, DailyRhythm.ONLINE, 1.2);

    private final String tag;
    private final double cardPresentWeight;
    private final double onlineWeight;
    private final double medianAmount;
    private final double amountSpread;
    private final DailyRhythm rhythm;
    private final double weekendFactor;

    Category(String tag, double cardPresentWeight, double onlineWeight, double medianAmount, double amountSpread,
             DailyRhythm rhythm, double weekendFactor) {
        this.tag = tag;
        this.cardPresentWeight = cardPresentWeight;
        this.onlineWeight = onlineWeight;
        this.medianAmount = medianAmount;
        this.amountSpread = amountSpread;
        this.rhythm = rhythm;
        this.weekendFactor = weekendFactor;
    }

    /** The CSV {@code merchant_category} value. */
    public String tag() {
        return tag;
    }

    /** Share of a typical card's payments in this channel that go to this category (relative). */
    public double weight(Channel channel) {
        return channel == Channel.ONLINE ? onlineWeight : cardPresentWeight;
    }

    public boolean sells(Channel channel) {
        return weight(channel) > 0;
    }

    /** Median genuine amount for a card of average spending level, in major units. */
    public double medianAmount() {
        return medianAmount;
    }

    /** Standard deviation of the log of genuine amounts. */
    public double amountSpread() {
        return amountSpread;
    }

    /** How much more (or less) of this category is bought on Saturdays and Sundays. */
    public double weekendFactor() {
        return weekendFactor;
    }

    DailyRhythm rhythm(Channel channel) {
        return channel == Channel.ONLINE ? DailyRhythm.ONLINE : rhythm;
    }

    /** Categories where a genuine once-in-a-while purchase costs several times the usual. */
    boolean hasBigTickets() {
        return this == ELECTRONICS || this == TRAVEL || this == CLOTHING;
    }
}
