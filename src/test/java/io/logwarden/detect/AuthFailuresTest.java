package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {

    private static LogEvent withStatus(Map<String, String> attributes) {
        return new LogEvent("s", Instant.parse("2026-12-03T07:00:00Z"), Level.WARN, null, null, "m", attributes, "m", null);
    }

    @Test
    void aStatusIsReadInItsProtocol() {
        assertThat(AuthFailures.isAuthFailureStatus(withStatus(Map.of("status", "401")))).isTrue();
        assertThat(AuthFailures.isAuthFailureStatus(withStatus(Map.of("status", "403", "protocol", "HTTP/1.1")))).isTrue();
        assertThat(AuthFailures.isAuthFailureStatus(withStatus(Map.of("status", "49")))).isFalse();
        // an LDAP result 49 is invalid credentials; its other codes are not
        assertThat(AuthFailures.isAuthFailureStatus(withStatus(Map.of("status", "49", "protocol", "LDAP")))).isTrue();
        assertThat(AuthFailures.isAuthFailureStatus(withStatus(Map.of("status", "50", "protocol", "LDAP")))).isFalse();
        assertThat(AuthFailures.isAuthFailureStatus(withStatus(Map.of("protocol", "LDAP")))).isFalse();
    }

    @Test
    void knowsTheUsualWordsOfAFailedLogin() {
        assertThat(AuthFailures.isAuthFailureText("Failed password for invalid user <*> from <*> port <*> ssh2")).isTrue();
        assertThat(AuthFailures.isAuthFailureText("Accepted password for <*> from <*>")).isFalse();
        assertThat(AuthFailures.isAuthFailureText("<*> - <*> - \"<*>\" - authentication error - User <*>")).isTrue();
        assertThat(AuthFailures.isAuthFailureText("AS_REQ (<*> etypes {<*>}) <*>: PREAUTH_FAILED: <*> for <*>,"
                + " Preauthentication failed")).isTrue();
        assertThat(AuthFailures.isAuthFailureText("<*> - <*> - \"<*>\" - maximum payload exceeded: <*> vs <*>")).isFalse();
        assertThat(AuthFailures.isAuthFailureText("(<*>) password doesn't match for <*> username: <*> IP: <*>")).isTrue();
        assertThat(AuthFailures.isAuthFailureText("(<*>) digest: nonce does not match for <*>")).isFalse();
        assertThat(AuthFailures.isAuthFailureText("Security Error occurred on connection to: <*> User name [<*>] or"
                + " password is invalid.")).isTrue();
        // Icecast: a source's and an admin's wrong passwords, in the same words whether the password was wrong or absent
        assertThat(AuthFailures.isAuthFailureText("connection/_handle_source_request Source (<*>) attempted to login"
                + " with invalid or missing password")).isTrue();
        assertThat(AuthFailures.isAuthFailureText("admin/admin_handle_request Bad or missing password on admin command"
                + " request (command: <*>)")).isTrue();
        assertThat(AuthFailures.isAuthFailureText("Missing password file, using the default")).isFalse();
    }
}
