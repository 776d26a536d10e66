package io.logwarden.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a sign-in attempt (form post to /login, or HTTP Basic credentials) with 429 and {@code Retry-After} while
 * its user name or client address must wait, before the password is looked at.
 */
final class SignInThrottleFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SignInThrottleFilter.class);

    private final SignInThrottle throttle;
    private final SignInPage page;

    SignInThrottleFilter(SignInThrottle throttle, SignInPage page) {
        this.throttle = throttle;
        this.page = page;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean form = "POST".equals(request.getMethod())
                && (request.getContextPath() + "/login").equals(request.getRequestURI());
        String user = form ? request.getParameter("username") : basicUser(request);
        if (user != null) {
            String address = request.getRemoteAddr();
            Optional<Duration> wait = throttle.waitFor(user, address);
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                log.warn("Sign-in refused for user '{}' from {}: too many failures, {} s to wait",
                        CountingAuthenticationManager.printable(user), address, seconds);
                response.setHeader("Retry-After", Long.toString(seconds));
                if (form) {
                    page.renderThrottled(request, response, wait.get());
                } else {
                    response.setStatus(429);
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("Too many failed sign-ins: retry in " + seconds + " s\n");
                }
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The user name of HTTP Basic credentials, or null when there are none (or they cannot be read). */
    private static String basicUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
