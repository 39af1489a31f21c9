package dev.vigil.simulator.generate;

/**
 * What made a simulated payment: genuine spending or one of the fraud scenarios. The tag is the CSV's {@code scenario}
 * column; every scenario but {@link #LEGIT} is labeled fraud (1).
 */
public enum Scenario {
    /** A cardholder's own payment. */
    LEGIT("legit"),
    /** One payment far above what the card usually spends, mostly online from a device the card never used. */
    LARGE_AMOUNT("large_amount"),
    /** Every payment at a compromised merchant terminal during the 28 days after the compromise. */
    COMPROMISED_MERCHANT("compromised_merchant"),
    /** For 14 days a fraudster spends on the card beside its owner: about a third of its payments, inflated. */
    COMPROMISED_CARD("compromised_card"),
    /** A burst of tiny online payments at many merchants to test a stolen card, then one large payment. */
    CARD_TESTING("card_testing"),
    /** A session of rapid online spending from a new device in a distant place. */
    ACCOUNT_TAKEOVER("account_takeover"),
    /** The cardholder buys online with their own device at home, then disputes the payment (first-party fraud). */
    FRIENDLY_FRAUD("friendly_fraud"),
    /** The switchable wave: compromised fuel stations cashing out cloned cards at night. Off unless asked for. */
    MERCHANT_WAVE("merchant_wave");

    private final String tag;

    Scenario(String tag) {
        this.tag = tag;
    }

    /** The value of the CSV {@code scenario} column. */
    public String tag() {
        return tag;
    }

    public boolean isFraud() {
        return this != LEGIT;
    }

    /** The CSV {@code label}: 1 fraud, 0 genuine. */
    public int label() {
        return isFraud() ? 1 : 0;
    }

    public static Scenario ofTag(String tag) {
        for (Scenario s : values()) {
            if (s.tag.equals(tag)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario tag: '" + tag + "'");
    }
}
