package dev.vigil.console.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in analysts: a server-side map from a random 256-bit session id (the {@code VIGIL_SESSION} cookie) to the
 * analyst, the session's CSRF token and when it ends (8 h after sign-in by default). Nothing about a session is in the
 * cookie but its id, so ending a session on the server ends it everywhere. At most {@link #MAX_SESSIONS} live at
 * once (expired ones are swept when a session is made). Thread-safe.
 */
public final class Sessions {

    public static final Duration DEFAULT_TTL = Duration.ofHours(8);
    public static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One signed-in analyst. */
    public record Session(String id, String analyst, String csrf, Instant expires) {
        @Override
        public String toString() {
            return "Session[" + analyst + ", until " + expires + "]"; // never the id or the token
        }
    }

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    public Sessions(Duration ttl, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("session lifetime must be positive: " + ttl);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    public Sessions() {
        this(DEFAULT_TTL, Clock.systemUTC());
    }

    /** A fresh session for the analyst, with its own CSRF token. */
    public Session create(String analyst) {
        Instant now = clock.instant();
        if (byId.size() >= MAX_SESSIONS) {
            byId.values().removeIf(s -> !s.expires().isAfter(now));
            if (byId.size() >= MAX_SESSIONS) {
                throw new IllegalStateException("too many open sessions");
            }
        }
        Session s = new Session(randomToken(), analyst, randomToken(), now.plus(ttl));
        byId.put(s.id(), s);
        return s;
    }

    /** The live session with this id; an expired one is removed. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!s.expires().isAfter(clock.instant())) {
            byId.remove(id, s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void end(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    public int size() {
        return byId.size();
    }

    /** 256 random bits, URL-safe Base64 without padding. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a presented CSRF token is the expected one, compared in constant time; null or empty never is. */
    public static boolean tokenMatches(String expected, String presented) {
        if (expected == null || presented == null || expected.isEmpty() || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                presented.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
