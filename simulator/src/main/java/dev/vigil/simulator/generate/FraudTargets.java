package dev.vigil.simulator.generate;

import java.util.SplittableRandom;

/**
 * What a fraudster with a card's details buys, for the scenarios that spend on a stolen card (a compromised card, one
 * large amount): online most of the time, otherwise with a cloned card in a shop of the owner's city, each way in
 * categories whose goods resell.
 */
final class FraudTargets {

    private final double onlineShare;
    private final Category[] online;
    private final Category[] cardPresent;

    FraudTargets(double onlineShare, Category[] online, Category[] cardPresent) {
        this.onlineShare = onlineShare;
        this.online = online.clone();
        this.cardPresent = cardPresent.clone();
    }

    /**
     * Where one fraudulent payment on {@code card} goes. Draws from {@code rng} in a fixed order (online or not, the
     * category, the merchant), so that a seed keeps giving the same payments.
     */
    Target draw(Card card, Spending spending, SplittableRandom rng) {
        boolean isOnline = rng.nextDouble() < onlineShare;
        Channel channel = isOnline ? Channel.ONLINE : Channel.CARD_PRESENT;
        Category category = isOnline
                ? online[rng.nextInt(online.length)]
                : cardPresent[rng.nextInt(cardPresent.length)];
        return new Target(channel, category, spending.anyMerchant(channel, card.homeCity(), category, rng));
    }

    /** One fraudulent payment's channel, category and merchant. */
    record Target(Channel channel, Category category, int merchant) {

        boolean online() {
            return channel == Channel.ONLINE;
        }

        /**
         * Adds the payment with a cloned card in the shop: no device, the shop's place, a time of the category's
         * rhythm in the shop's city.
         */
        void payInShop(World world, Card card, double amount, Scenario scenario, DayBuffer today,
                SplittableRandom rng) {
            Merchant shop = world.merchants.get(merchant);
            int second = Spending.utcSecond(category.rhythm(channel).localSecond(rng), shop.city());
            today.add(second, card.index(), merchant, amount, DayBuffer.NO_DEVICE, shop.lat(), shop.lon(), scenario);
        }
    }
}
