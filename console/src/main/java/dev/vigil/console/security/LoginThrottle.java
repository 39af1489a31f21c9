package dev.vigil.console.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing: after {@code maxFailures} failed sign-ins for one user name, or from one address, within
 * {@code window}, every further attempt for that name or from that address is refused (429) without checking the
 * password, until the oldest of those failures is older than the window. A success clears the name's failures, not the
 * address's (one good account must not reset an address that is guessing at others). At most {@link #MAX_KEYS} names
 * and addresses are tracked; past that the stalest are forgotten. Thread-safe.
 */
public final class LoginThrottle {

    public static final int DEFAULT_MAX_FAILURES = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    public static final int MAX_KEYS = 100_000;

    private final int maxFailures;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1");
        }
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    public LoginThrottle() {
        this(DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, Clock.systemUTC());
    }

    /** One counted sign-in attempt: forgotten again when it succeeds. */
    public record Attempt(String user, String address, long at) {}

    /**
     * Counts an attempt for this user from this address, unless either has had too many in the window: then empty
     * and nothing is counted. Checked and counted under one lock, before the password's slow hash, so parallel guesses
     * cannot all pass the check; an attempt that succeeds is taken back with {@link #succeeded}.
     */
    public synchronized Optional<Attempt> tryAttempt(String user, String address) {
        long now = clock.millis();
        if (recent(userKey(user), now) >= maxFailures || recent(addressKey(address), now) >= maxFailures) {
            return Optional.empty();
        }
        if (failures.size() >= MAX_KEYS) {
            sweep(now);
        }
        failures.computeIfAbsent(userKey(user), k -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent(addressKey(address), k -> new ArrayDeque<>()).addLast(now);
        return Optional.of(new Attempt(user, address, now));
    }

    /** The attempt signed in: the user's failures are cleared and the address's count loses this attempt. */
    public synchronized void succeeded(Attempt attempt) {
        failures.remove(userKey(attempt.user()));
        Deque<Long> times = failures.get(addressKey(attempt.address()));
        if (times != null) {
            times.removeLastOccurrence(attempt.at());
            if (times.isEmpty()) {
                failures.remove(addressKey(attempt.address()));
            }
        }
    }

    private int recent(String key, long now) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
            times.pollFirst();
        }
        if (times.isEmpty()) {
            failures.remove(key);
            return 0;
        }
        return times.size();
    }

    private void sweep(long now) {
        for (Iterator<Map.Entry<String, Deque<Long>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Deque<Long> times = it.next().getValue();
            if (times.isEmpty() || times.peekLast() <= now - windowMillis) {
                it.remove();
            }
        }
        if (failures.size() >= MAX_KEYS) {
            failures.clear(); // under a flood of names: forget rather than grow without bound
        }
    }

    private static String userKey(String user) {
        String u = user == null ? "" : user;
        return "user:" + (u.length() > 100 ? u.substring(0, 100) : u);
    }

    private static String addressKey(String address) {
        return "addr:" + (address == null ? "" : address);
    }
}
