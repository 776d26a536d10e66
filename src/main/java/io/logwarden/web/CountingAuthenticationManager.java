package io.logwarden.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks credentials (form or HTTP Basic) and tells the {@link SignInThrottle} how it went. Every failure is logged
 * with the user name and the client address, never with the password.
 */
final class CountingAuthenticationManager implements AuthenticationManager {

    private static final Logger log = LoggerFactory.getLogger(CountingAuthenticationManager.class);

    private final AuthenticationManager delegate;
    private final SignInThrottle throttle;

    CountingAuthenticationManager(AuthenticationManager delegate, SignInThrottle throttle) {
        this.delegate = delegate;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String user = attempt.getName();
        String address = attempt.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
        try {
            Authentication done = delegate.authenticate(attempt);
            throttle.succeeded(user, address);
            return done;
        } catch (AuthenticationException e) {
            SignInThrottle.Failures failures = throttle.failed(user, address);
            log.warn("Sign-in failed for user '{}' from {}: {} ({} in a row for this user, {} from this address)",
                    printable(user), address, e.getClass().getSimpleName(), failures.user(), failures.address());
            throw e;
        }
    }

    /** A user name as typed can hold anything: keep log lines one line and short. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 100; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
        }
        return sb.toString();
    }
}
