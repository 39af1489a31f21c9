package dev.vigil.model.features;

import java.util.Locale;

/** How a payment was made: the CSV/Avro {@code channel} field, read leniently. */
public enum PaymentChannel {
    CARD_PRESENT, ONLINE, UNKNOWN;

    /** "card_present" (or pos, in_store, chip, contactless), "online" (or ecom, e-commerce, cnp); anything else UNKNOWN. */
    public static PaymentChannel parse(String channel) {
        if (channel == null) {
            return UNKNOWN;
        }
        return switch (channel.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_')) {
            case "card_present", "cardpresent", "cp", "pos", "in_store", "chip", "contactless", "swipe" -> CARD_PRESENT;
            case "online", "ecom", "e_commerce", "ecommerce", "cnp", "card_not_present", "web", "app" -> ONLINE;
            default -> UNKNOWN;
        };
    }
}
