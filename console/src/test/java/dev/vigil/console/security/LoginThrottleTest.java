package dev.vigil.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-24T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(5), clock);

    @Test
    void fiveFailuresForOneUserBlockThatUserFromEveryAddressUntilTheyAgeOut() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAttempt("alice", "10.0.0." + i)).isPresent();
        }
        assertThat(throttle.tryAttempt("alice", "10.0.0.99")).isEmpty();
        assertThat(throttle.tryAttempt("bob", "10.0.0.99")).isPresent();
        clock.advance(Duration.ofMinutes(5).plusMillis(1));
        assertThat(throttle.tryAttempt("alice", "10.0.0.99")).isPresent();
    }

    @Test
    void fiveFailuresFromOneAddressBlockEveryNameFromIt() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAttempt("user" + i, "10.0.0.1")).isPresent();
        }
        assertThat(throttle.tryAttempt("someone-else", "10.0.0.1")).isEmpty();
        assertThat(throttle.tryAttempt("someone-else", "10.0.0.2")).isPresent();
    }

    @Test
    void aSuccessClearsTheNameAndTakesOnlyItsOwnAttemptBackFromTheAddress() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.tryAttempt("alice", "10.0.0.1")).isPresent();
        }
        throttle.succeeded(throttle.tryAttempt("alice", "10.0.0.1").orElseThrow());
        // alice starts again from zero; the address keeps its three failures
        assertThat(throttle.tryAttempt("alice", "10.0.0.2")).isPresent();
        assertThat(throttle.tryAttempt("bob", "10.0.0.1")).isPresent();
        assertThat(throttle.tryAttempt("dave", "10.0.0.1")).isPresent(); // the address's fifth
        assertThat(throttle.tryAttempt("carol", "10.0.0.1")).isEmpty();
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowNeverBlock() {
        for (int i = 0; i < 20; i++) {
            assertThat(throttle.tryAttempt("alice", "10.0.0.1")).isPresent();
            clock.advance(Duration.ofSeconds(61));
        }
    }

    @Test
    void parallelGuessesGetNoMoreThanTheLimitBetweenThem() throws Exception {
        int guesses = 200;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < guesses; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return throttle.tryAttempt("alice", "10.0.0.1").isPresent();
                }));
            }
            start.countDown();
            int allowed = 0;
            for (java.util.concurrent.Future<Boolean> r : results) {
                allowed += r.get() ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    static final class MutableClock extends java.time.Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
