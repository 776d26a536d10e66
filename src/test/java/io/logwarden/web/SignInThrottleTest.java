package io.logwarden.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.config.SecurityProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {

    private Instant now = Instant.parse("2026-06-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };
    private final SignInThrottle throttle = new SignInThrottle(new SecurityProperties.SignIn(3, 5, Duration.ofSeconds(1),
            Duration.ofSeconds(10), Duration.ofHours(1)), clock);

    @Test
    void aUserWaitsLongerWithEachFailurePastItsAllowance() {
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.2");
        assertThat(throttle.waitFor("alice", "10.0.0.3")).isEmpty();
        throttle.failed("alice", "10.0.0.3");
        assertThat(throttle.waitFor("ALICE", "10.0.0.9")).contains(Duration.ofSeconds(1));
        now = now.plusSeconds(1);
        assertThat(throttle.waitFor("alice", "10.0.0.9")).isEmpty();
        throttle.failed("alice", "10.0.0.4");
        assertThat(throttle.waitFor("alice", "10.0.0.9")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            now = now.plusSeconds(20);
            throttle.failed("alice", "10.0.1." + i);
        }
        assertThat(throttle.waitFor("alice", "10.0.0.9")).as("at most max-wait").contains(Duration.ofSeconds(10));
        assertThat(throttle.waitFor("bob", "10.0.0.9")).isEmpty();
    }

    @Test
    void anAddressWaitsWhateverUserNamesItTries() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }
        assertThat(throttle.waitFor("someone", "192.0.2.7")).isEmpty();
        throttle.failed("user4", "192.0.2.7");
        assertThat(throttle.waitFor("someone", "192.0.2.7")).contains(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("someone", "192.0.2.8")).isEmpty();
    }

    @Test
    void successClearsAndOldFailuresAreForgotten() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("carol", "10.0.0.1");
        }
        throttle.succeeded("carol", "10.0.0.1");
        assertThat(throttle.waitFor("carol", "10.0.0.1")).isEmpty();
        assertThat(throttle.failed("carol", "10.0.0.1").user()).isEqualTo(1);
        now = now.plus(Duration.ofHours(2));
        assertThat(throttle.failed("carol", "10.0.0.1")).isEqualTo(new SignInThrottle.Failures(1, 1));
    }
}
