package dev.vigil.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {

    @Test
    void aSessionEndsAfterItsLifetimeOrWhenEnded() {
        LoginThrottleTest.MutableClock clock = new LoginThrottleTest.MutableClock(Instant.parse("2026-01-24T10:00:00Z"));
        Sessions sessions = new Sessions(Duration.ofHours(8), clock);
        Sessions.Session s = sessions.create("alice");
        assertThat(sessions.find(s.id())).contains(s);
        clock.advance(Duration.ofHours(8).minusSeconds(1));
        assertThat(sessions.find(s.id())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.find(s.id())).isEmpty();

        Sessions.Session t = sessions.create("bob");
        sessions.end(t.id());
        assertThat(sessions.find(t.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("x".repeat(500))).isEmpty();
    }

    @Test
    void idsAndTokensAre256RandomBitsAndNeverPrinted() {
        Sessions sessions = new Sessions();
        Sessions.Session a = sessions.create("alice");
        Sessions.Session b = sessions.create("alice");
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43); // 32 bytes, URL-safe Base64 without padding
        assertThat(a.csrf()).isNotEqualTo(a.id()).isNotEqualTo(b.csrf());
        assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrf());
    }

    @Test
    void aCsrfTokenMatchesOnlyItself() {
        String token = Sessions.randomToken();
        assertThat(Sessions.tokenMatches(token, token)).isTrue();
        assertThat(Sessions.tokenMatches(token, token.substring(1))).isFalse();
        assertThat(Sessions.tokenMatches(token, null)).isFalse();
        assertThat(Sessions.tokenMatches(token, "")).isFalse();
        assertThat(Sessions.tokenMatches(null, null)).isFalse();
        assertThat(Sessions.tokenMatches("", "")).isFalse();
    }
}
