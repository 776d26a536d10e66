package io.logwarden.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * API requests a minute per client address, and per API key when one is used (token buckets refilled steadily):
 * past either, 429 with {@code Retry-After} in seconds. {@code X-RateLimit-Remaining} tells what is left.
 */
final class ApiRateLimitFilter extends OncePerRequestFilter {

    /** Buckets kept at most; full (idle) ones are dropped first when there are more. */
    private static final int MAX_BUCKETS = 10_000;

    private final int perMinute;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    ApiRateLimitFilter(int perMinute) {
        this.perMinute = perMinute;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return perMinute <= 0 || !ApiResponses.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ConsumptionProbe byAddress = bucket("address:" + request.getRemoteAddr()).tryConsumeAndReturnRemaining(1);
        ConsumptionProbe byKey = null;
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth instanceof ApiKeyAuthentication key) {
            byKey = bucket("key:" + key.key().id()).tryConsumeAndReturnRemaining(1);
        }
        ConsumptionProbe refused = !byAddress.isConsumed() ? byAddress : byKey != null && !byKey.isConsumed() ? byKey : null;
        if (refused != null) {
            long seconds = Math.max(1, (refused.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            response.setHeader("Retry-After", Long.toString(seconds));
            response.setHeader("X-RateLimit-Remaining", "0");
            ApiResponses.problem(response, 429, "Too many requests", "more than " + perMinute + " API requests a minute "
                    + (refused == byAddress ? "from this address" : "with this API key") + ": retry in " + seconds + " s");
            return;
        }
        long remaining = byKey == null ? byAddress.getRemainingTokens()
                : Math.min(byAddress.getRemainingTokens(), byKey.getRemainingTokens());
        response.setHeader("X-RateLimit-Limit", Integer.toString(perMinute));
        response.setHeader("X-RateLimit-Remaining", Long.toString(remaining));
        chain.doFilter(request, response);
    }

    private Bucket bucket(String id) {
        if (buckets.size() > MAX_BUCKETS) {
            buckets.values().removeIf(b -> b.getAvailableTokens() >= perMinute);
        }
        return buckets.computeIfAbsent(id, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
    }
}
