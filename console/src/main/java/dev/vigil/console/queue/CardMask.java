package dev.vigil.console.queue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a card id appears in the console's pages: never whole. {@link #mask} shows the last 4 characters
 * ({@code ****-1234}; a card id of 4 characters or fewer shows none), {@link #ref} is an opaque handle (HMAC-SHA256
 * of the card id under a key made at start, so it means nothing outside this process and changes on restart) that
 * the pages may send back to name a card. Thread-safe.
 */
public final class CardMask {

    /** Cards whose reference was handed out and can be named by it (the most recent). */
    public static final int REMEMBERED = 200_000;

    private final byte[] key;
    private final java.util.Map<String, String> cardByRef = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, String> eldest) {
                    return size() > REMEMBERED;
                }
            });

    public CardMask(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("a card reference key needs at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** A fresh random key: references are good for this process only. */
    public static CardMask random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new CardMask(key);
    }

    public static String mask(String cardId) {
        if (cardId == null || cardId.length() <= 4) {
            return "****";
        }
        return "****-" + cardId.substring(cardId.length() - 4);
    }

    public String ref(String cardId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(cardId.getBytes(StandardCharsets.UTF_8));
            String ref = "c" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 15));
            cardByRef.put(ref, cardId);
            return ref;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The card a reference handed out by this process names, if it is one of the last {@link #REMEMBERED}. */
    public java.util.Optional<String> cardOf(String ref) {
        return java.util.Optional.ofNullable(ref == null ? null : cardByRef.get(ref));
    }
}
