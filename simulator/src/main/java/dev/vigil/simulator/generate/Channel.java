package dev.vigil.simulator.generate;

/** How a merchant takes payments; the CSV {@code channel} column. */
public enum Channel {
    CARD_PRESENT("card_present"),
    ONLINE("online");

    private final String tag;

    Channel(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
