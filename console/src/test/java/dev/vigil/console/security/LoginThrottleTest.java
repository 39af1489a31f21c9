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
            assertThat(throttle.allowed("alice", "10.0.0." + i)).isTrue();
            throttle.failed("alice", "10.0.0." + i);
        }
        assertThat(throttle.allowed("alice", "10.0.0.99")).isFalse();
        assertThat(throttle.allowed("bob", "10.0.0.99")).isTrue();
        clock.advance(Duration.ofMinutes(5).plusMillis(1));
        assertThat(throttle.allowed("alice", "10.0.0.99")).isTrue();
    }

    @Test
    void fiveFailuresFromOneAddressBlockEveryNameFromIt() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.1");
        }
        assertThat(throttle.allowed("someone-else", "10.0.0.1")).isFalse();
        assertThat(throttle.allowed("someone-else", "10.0.0.2")).isTrue();
    }

    @Test
    void aSuccessClearsTheNameButNotTheAddress() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", "10.0.0.1");
        }
        throttle.succeeded("alice");
        throttle.failed("alice", "10.0.0.2");
        assertThat(throttle.allowed("alice", "10.0.0.2")).isTrue();
        throttle.failed("bob", "10.0.0.1");
        assertThat(throttle.allowed("carol", "10.0.0.1")).isFalse();
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowNeverBlock() {
        for (int i = 0; i < 20; i++) {
            assertThat(throttle.allowed("alice", "10.0.0.1")).isTrue();
            throttle.failed("alice", "10.0.0.1");
            clock.advance(Duration.ofSeconds(61));
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
