package io.logwarden.source;

import io.logwarden.event.LogText;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.ingest.IngestException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code retryWhile} of the REST source route's redelivery policy ({@code restRetries}, route configuration
 * {@code rest-retries}): a page answered 429 or 5xx, or not answered at all, is asked again up to the source's
 * {@code max-retries}, after its {@code backoff} (doubled each time, up to {@code max-backoff}) or the answer's
 * {@code Retry-After}, set as the redelivery delay. Anything else, or a {@code Retry-After} longer
 * than {@code max-backoff}, ends the run at once, with a reason that says which page and why.
 */
@Component("restRetries")
public class RestRetries implements Predicate {

    private static final Logger log = LoggerFactory.getLogger(RestRetries.class);
    static final String CURSOR = "restPage";

    @Override
    public boolean matches(Exchange exchange) {
        RestPages.Cursor cursor = exchange.getProperty(CURSOR, RestPages.Cursor.class);
        // The error handler holds the failure as the caught exception while it decides.
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cursor == null || error == null || !isRequestFailure(exchange, error)) {
            return false; // not a request's failure (a page that is not JSON, a pagination loop): no retry
        }
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        String url = LogText.maskSecrets(cursor.getUrl()); // for messages: a key in the URL is not shown
        String problem;
        Duration retryAfter = null;
        if (error instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            problem = "HTTP " + status + ": " + RestPages.abbreviate(http.getResponseBody());
            if (status != 429 && status < 500) {
                return stop(exchange, "GET " + url + " answered " + problem, error);
            }
            retryAfter = retryAfter(header(http.getResponseHeaders(), "Retry-After"));
        } else {
            problem = "no answer: " + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
        }
        var settings = cursor.settings();
        cursor.attempts++;
        if (cursor.attempts > settings.maxRetries()) {
            return stop(exchange, "GET " + url + " failed after " + cursor.attempts + " attempts, last: " + problem, error);
        }
        if (retryAfter != null && retryAfter.compareTo(settings.maxBackoff()) > 0) {
            // Waiting longer than max-backoff is not this run's job: it ends, the next scheduled run retries.
            return stop(exchange, "GET " + url + " answered " + problem + " with Retry-After " + retryAfter.toSeconds()
                    + " s, longer than max-backoff (" + settings.maxBackoff().toSeconds() + " s): this run ends and"
                    + " the next one retries", error);
        }
        Duration pause = retryAfter != null ? retryAfter
                : settings.backoff().multipliedBy(1L << Math.min(cursor.attempts - 1, 20));
        pause = pause.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : pause;
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, pause.toMillis());
        log.info("GET {}: {}; retry {} of {} in {} ms{}", url, problem, cursor.attempts, settings.maxRetries(),
                pause.toMillis(), retryAfter == null ? "" : " (Retry-After)");
        return true;
    }

    /** The failure of the http endpoint itself (an answer that is an error, or none), not of a later step. */
    private static boolean isRequestFailure(Exchange exchange, Throwable error) {
        String endpoint = exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
        boolean atHttp = endpoint == null || endpoint.startsWith("http");
        return atHttp && (error instanceof HttpOperationFailedException || error instanceof java.io.IOException);
    }

    /** No more retries: the run fails with a reason naming the page and the answer. */
    private static boolean stop(Exchange exchange, String reason, Throwable cause) {
        IngestException clear = new IngestException(reason, cause);
        if (exchange.getException() != null) {
            exchange.setException(clear);
        }
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, clear);
        // The error handler goes on with the original exception: the job's reason is this one (see jobs.fail).
        exchange.getIn().setHeader(ExchangeHeaders.FAILURE_REASON, reason);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        return false;
    }

    private static String header(java.util.Map<String, String> headers, String name) {
        if (headers == null) return null;
        return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    }

    /** {@code Retry-After}: seconds, or an HTTP date. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }
}
