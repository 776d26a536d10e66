package io.logwarden.web;

import io.logwarden.store.ApiKeyService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API (and metrics) requests that carry a key ({@code Authorization: Bearer …} or {@code X-API-Key: …}) for this
 * request only: no session is made. An unknown or revoked key is answered 401 at once. The key is never logged.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
    static final String HEADER = "X-API-Key";

    private final ApiKeyService keys;

    ApiKeyFilter(ApiKeyService keys) {
        this.keys = keys;
    }

    /** The key a request carries, or null. */
    static String presented(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        return null;
    }

    static boolean carriesKey(HttpServletRequest request) {
        return presented(request) != null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // The API, its description, and the metrics (so that Prometheus scrapes with a read key, not a password).
        return !(path.startsWith("/api/") || path.startsWith("/v3/api-docs") || path.equals("/actuator/prometheus"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = presented(request);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiKeyService.ApiKey> key = keys.authenticate(presented, request.getRemoteAddr());
        if (key.isEmpty()) {
            log.warn("API request from {} refused: unknown or revoked API key", request.getRemoteAddr());
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            ApiResponses.problem(response, 401, "Unauthorized", "unknown or revoked API key");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new ApiKeyAuthentication(key.get()));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
