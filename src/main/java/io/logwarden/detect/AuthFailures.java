package io.logwarden.detect;

import io.logwarden.event.LogEvent;
import java.util.regex.Pattern;

/**
 * Recognises authentication failures: sshd and PAM messages, application login failures (NATS's and other Go
 * servers' "authentication error", Kerberos' "Preauthentication failed", lighttpd's "password doesn't match",
 * ActiveMQ's "User name [x] or password is invalid", Icecast's "attempted to login with invalid or missing
 * password"), HTTP 401/403 in access logs and an LDAP server's result 49 (invalid credentials). A template is classified once, by its text; an access-log or LDAP event by its status.
 */
final class AuthFailures {

    private static final Pattern TEXT = Pattern.compile(
            "(?i)(authentication fail|auth fail|authentication error|failed password|invalid user|illegal user|login fail|failed login|fail login"
                    + "|log-?in attempt fail|(?:bad|incorrect|invalid)(?: or (?:missing|expired|unknown))? password"
                    + "|invalid credentials"
                    + "|unauthori[sz]ed|access denied for user|permission denied \\(publickey|too many authentication failures"
                    + "|maximum authentication attempts|password (?:doesn't|does not|didn't|did not) match|password mismatch"
                    + "|password (?:is|was) (?:invalid|incorrect|wrong)"
                    // Windows' and Samba's NT status names: NT_STATUS_WRONG_PASSWORD, NT_STATUS_LOGON_FAILURE, …
                    + "|wrong[_ ]password|logon[_ ]failure|account[_ ]locked[_ ]out|no[_ ]such[_ ]user)");

    private AuthFailures() {
    }

    static boolean isAuthFailureText(String template) {
        return template != null && TEXT.matcher(template).find();
    }

    static boolean isAuthFailureStatus(LogEvent event) {
        String status = event.attributes().get("status");
        if (status == null) return false;
        if ("401".equals(status) || "403".equals(status)) return true; // no LDAP code is that high
        return "49".equals(status) && "LDAP".equals(event.attributes().get("protocol")); // LDAP's invalid credentials
    }
}
