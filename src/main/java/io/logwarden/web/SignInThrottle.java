package io.logwarden.web;

import io.logwarden.config.SecurityProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed sign-ins per user name and per client address and says how long either must wait before the next
 * attempt. The wait doubles with each failure past the allowance, up to a ceiling; a success clears both counts.
 * Thread-safe.
 */
final class SignInThrottle {

    /** Beyond this many tracked names or addresses, counts that no longer hold anyone back are dropped first. */
    private static final int MAX_TRACKED = 10_000;
    private static final int MAX_KEY_LENGTH = 200;

    private final SecurityProperties.SignIn settings;
    private final Clock clock;
    private final Map<String, Count> users = new ConcurrentHashMap<>();
    private final Map<String, Count> addresses = new ConcurrentHashMap<>();

    SignInThrottle(SecurityProperties.SignIn settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Failures in a row after one more failure of this user from this address. */
    record Failures(int user, int address) {
    }

    /** How long this user or address must still wait; empty when it may try now. */
    Optional<Duration> waitFor(String user, String address) {
        Instant now = clock.instant();
        Duration wait = max(remaining(users.get(userKey(user)), now), remaining(addresses.get(addressKey(address)), now));
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    Failures failed(String user, String address) {
        Instant now = clock.instant();
        int u = record(users, userKey(user), settings.userFailures(), now);
        int a = record(addresses, addressKey(address), settings.addressFailures(), now);
        return new Failures(u, a);
    }

    void succeeded(String user, String address) {
        users.remove(userKey(user));
        addresses.remove(addressKey(address));
    }

    private int record(Map<String, Count> counts, String key, int allowance, Instant now) {
        if (counts.size() > MAX_TRACKED) {
            counts.values().removeIf(c -> !c.holdsBack(now));
        }
        Count updated = counts.compute(key, (k, old) -> {
            int failures = old == null || old.last.plus(settings.forgetAfter()).isBefore(now) ? 1 : old.failures + 1;
            Instant until = now;
            if (failures >= allowance) {
                until = now.plus(waitAfter(failures - allowance));
            }
            return new Count(failures, now, until);
        });
        return updated.failures;
    }

    /** firstWait × 2^excess, at most maxWait. */
    private Duration waitAfter(int excess) {
        Duration wait = settings.firstWait();
        for (int i = 0; i < excess && wait.compareTo(settings.maxWait()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxWait()) > 0 ? settings.maxWait() : wait;
    }

    private static Duration remaining(Count count, Instant now) {
        return count == null || !count.until.isAfter(now) ? Duration.ZERO : Duration.between(now, count.until);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** User names are matched without case, as the user store does; an overlong name cannot fill memory. */
    private static String userKey(String user) {
        String key = user == null ? "" : user.toLowerCase(Locale.ROOT);
        return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    }

    private static String addressKey(String address) {
        return address == null ? "" : address;
    }

    private record Count(int failures, Instant last, Instant until) {
        boolean holdsBack(Instant now) {
            return until.isAfter(now);
        }
    }
}
