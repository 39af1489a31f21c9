package dev.vigil.console.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

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

    /** Whether an attempt for this user from this address may be checked now. */
    public synchronized boolean allowed(String user, String address) {
        long now = clock.millis();
        return recent(userKey(user), now) < maxFailures && recent(addressKey(address), now) < maxFailures;
    }

    public synchronized void failed(String user, String address) {
        long now = clock.millis();
        if (failures.size() >= MAX_KEYS) {
            sweep(now);
        }
        failures.computeIfAbsent(userKey(user), k -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent(addressKey(address), k -> new ArrayDeque<>()).addLast(now);
    }

    public synchronized void succeeded(String user) {
        failures.remove(userKey(user));
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
