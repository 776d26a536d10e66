package io.logwarden.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.AlertProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds. Each enabled channel has its own sender thread, so a channel that is down (each
 * attempt waiting for its timeout) delays neither the pipeline, which only writes the outbox, nor the other channels.
 * A delivery is locked while it is sent ({@code for update skip locked}): two instances never send it twice. A failed
 * attempt is retried with exponential backoff up to {@code max-attempts}, then marked failed with the reason; what
 * was pending at a shutdown or a crash is sent after the next start. A channel over its rate limit holds new alerts
 * back and sends them as one digest once the limit allows. A further thread sends held-back updates and resolves
 * quiet incidents ({@link AlertOutbox#sweep}).
 */
@Component
public class AlertDispatcher {

    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final AlertProperties props;
    private final AlertRepository repository;
    private final AlertOutbox outbox;
    private final ProducerTemplate producer;
    private final TransactionTemplate transaction;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private volatile boolean running;
    private ExecutorService threads;

    public AlertDispatcher(AlertProperties props, AlertRepository repository, AlertOutbox outbox,
                           ProducerTemplate producer, PlatformTransactionManager transactions, ObjectMapper json,
                           Clock clock, MeterRegistry meters) {
        this.meters = meters;
        this.props = props;
        this.repository = repository;
        this.outbox = outbox;
        this.producer = producer;
        this.transaction = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
        check(props);
    }

    /** A channel without what its kind needs, or two with one name, stop the start-up with the reason. */
    static void check(AlertProperties props) {
        Set<String> names = new HashSet<>();
        for (AlertProperties.Channel c : props.channels()) {
            if (!names.add(c.name())) {
                throw new IllegalStateException("logwarden.alerts.channels: two channels are named " + c.name());
            }
            String problem = c.problem();
            if (problem != null && c.enabled()) {
                throw new IllegalStateException("logwarden.alerts.channels: channel " + c.name() + " (" + c.type().id()
                        + "): " + problem);
            }
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        List<AlertProperties.Channel> channels = props.enabledChannels();
        if (channels.isEmpty() || running) {
            return;
        }
        running = true;
        threads = Executors.newFixedThreadPool(channels.size() + 1, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        threads.submit(() -> loop("alerts-incidents", this::sweep));
        for (AlertProperties.Channel channel : channels) {
            threads.submit(() -> loop("alerts-" + channel.name(), () -> dispatch(channel)));
        }
        log.info("Alerts: {} channel(s): {}", channels.size(),
                channels.stream().map(c -> c.name() + " (" + c.type().id() + ")").toList());
    }

    /** Stops the senders before Camel stops; what is unsent stays in the outbox for the next start. */
    @EventListener(ContextClosedEvent.class)
    public synchronized void stop() {
        running = false;
        if (threads != null) {
            // A send in flight finishes (within the timeout) and is recorded; interrupting it could leave an alert
            // delivered but recorded as not, and sent again after the restart.
            threads.shutdown();
            try {
                if (!threads.awaitTermination(props.timeout().toSeconds() + 5, TimeUnit.SECONDS)) {
                    threads.shutdownNow();
                }
            } catch (InterruptedException e) {
                threads.shutdownNow();
                Thread.currentThread().interrupt();
            }
            threads = null;
        }
    }

    private interface Step {
        boolean run();
    }

    /** Runs a step while it finds work, then waits a poll interval. */
    private void loop(String name, Step step) {
        Thread.currentThread().setName(name);
        Instant lastWarning = Instant.EPOCH;
        while (running && !Thread.currentThread().isInterrupted()) {
            boolean worked;
            try {
                worked = step.run();
            } catch (RuntimeException e) {
                worked = false;
                if (!running) {
                    return;
                }
                if (lastWarning.isBefore(Instant.now().minusSeconds(60))) {
                    lastWarning = Instant.now();
                    log.warn("{}: {} (retried every {})", name, e.getMessage(), props.pollInterval());
                }
            }
            if (!worked) {
                try {
                    Thread.sleep(props.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private boolean sweep() {
        transaction.executeWithoutResult(s -> {
            int cancelled = repository.cancelForFailedJobs();
            if (cancelled > 0) {
                log.info("Alerts: {} delivery(ies) cancelled: their job failed and its input is analysed again", cancelled);
            }
            outbox.sweep();
        });
        return false;
    }

    /** Sends the channel's next due delivery (or holds it, or makes a digest); false when there was nothing to do. */
    boolean dispatch(AlertProperties.Channel channel) {
        Boolean worked = transaction.execute(s -> {
            Instant now = clock.instant();
            boolean room = repository.sentSince(channel.name(), now.minus(channel.ratePeriod())) < channel.rateLimit();
            if (room && digest(channel, now)) {
                return true;
            }
            Optional<AlertRepository.Delivery> next = repository.lockNextDue(channel.name(), now);
            if (next.isEmpty()) {
                return false;
            }
            AlertRepository.Delivery d = next.get();
            if (!room && d.attempts() == 0 && !"digest".equals(d.kind())) {
                repository.markHeld(d.id());
                count(channel, "held");
                log.info("Alert {} to {} held back by the rate limit ({} per {}): it goes out in the next digest",
                        d.id(), channel.name(), channel.rateLimit(), channel.ratePeriod());
                return true;
            }
            String failure = send(channel, d);
            if (failure == null) {
                repository.markSent(d.id(), clock.instant());
                count(channel, "sent");
                log.info("Alert {} ({} {}) sent to {}", d.id(), d.kind(), d.fingerprint(), channel.name());
            } else if (d.attempts() + 1 >= props.maxAttempts()) {
                repository.markFailedAttempt(d.id(), "failed", failure, now);
                count(channel, "failed");
                log.warn("Alert {} to {} failed after {} attempts: {}", d.id(), channel.name(), d.attempts() + 1, failure);
            } else {
                Instant retry = clock.instant().plus(backoff(d.attempts()));
                repository.markFailedAttempt(d.id(), "retrying", failure, retry);
                count(channel, "retried");
                // A warning for the first failure; the retries of a channel that stays down are logged quietly.
                if (d.attempts() == 0) {
                    log.warn("Alert {} to {} failed, retried with backoff (up to {} attempts): {}", d.id(),
                            channel.name(), props.maxAttempts(), failure);
                } else {
                    log.debug("Alert {} to {} failed (attempt {} of {}), retried at {}: {}", d.id(), channel.name(),
                            d.attempts() + 1, props.maxAttempts(), retry, failure);
                }
            }
            return failure == null;
        });
        return Boolean.TRUE.equals(worked);
    }

    /**
     * {@code logwarden_alerts_total{channel, outcome}}: sent, retried (an attempt failed, another follows), failed
     * (gave up), held (over the rate limit), counted as the outcome is recorded.
     */
    private void count(AlertProperties.Channel channel, String outcome) {
        Counter.builder("logwarden.alerts").description("Alert deliveries by channel and outcome")
                .tag("channel", channel.name()).tag("outcome", outcome).register(meters).increment();
    }

    /** The wait after a failed attempt: backoff × 2^attempts, at most max-backoff. */
    Duration backoff(int attempts) {
        Duration wait = props.backoff().multipliedBy(1L << Math.min(attempts, 20));
        return wait.compareTo(props.maxBackoff()) > 0 ? props.maxBackoff() : wait;
    }

    /** What the rate limit held back becomes one digest delivery, due now. */
    private boolean digest(AlertProperties.Channel channel, Instant now) {
        List<AlertRepository.Delivery> held = repository.lockHeld(channel.name());
        if (held.isEmpty()) {
            return false;
        }
        List<Map<String, Object>> alerts = new ArrayList<>();
        String highest = "LOW";
        for (AlertRepository.Delivery d : held) {
            Map<String, Object> a = read(d.payload());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("kind", d.kind());
            line.put("severity", d.severity());
            line.put("title", d.title());
            line.put("source", a.get("source"));
            line.put("fingerprint", d.fingerprint());
            line.put("createdAt", d.createdAt().toString());
            line.put("links", a.get("links"));
            alerts.add(line);
            if (io.logwarden.event.Severity.valueOf(d.severity()).compareTo(io.logwarden.event.Severity.valueOf(highest)) > 0) {
                highest = d.severity();
            }
        }
        Map<String, Object> digest = new LinkedHashMap<>();
        digest.put("kind", "digest");
        digest.put("title", held.size() + " alert" + (held.size() == 1 ? "" : "s") + " held back by the rate limit of "
                + channel.name());
        digest.put("severity", highest);
        digest.put("explanation", "At most " + channel.rateLimit() + " alerts per " + channel.ratePeriod()
                + " go to " + channel.name() + "; these came beyond it:");
        digest.put("alerts", alerts);
        String text;
        try {
            text = json.writeValueAsString(digest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        long id = repository.enqueue(null, channel.name(), "digest", null, highest, (String) digest.get("title"), text,
                "pending", now);
        repository.markDigested(held.stream().map(AlertRepository.Delivery::id).toList(), id);
        return true;
    }

    /** Sends through the channel's route; null when it went out, else the reason. */
    private String send(AlertProperties.Channel channel, AlertRepository.Delivery d) {
        Exchange done;
        try {
            done = producer.send("direct:alert-" + channel.type().id(), exchange -> {
                exchange.getIn().setBody(d.payload());
                exchange.setProperty(AlertMessages.CHANNEL, channel);
            });
        } catch (CamelExecutionException e) {
            return reason(e);
        }
        return done.getException() == null ? null : reason(done.getException());
    }

    /** One line people can act on, without the channel's URL path (a Slack or Teams URL is a credential). */
    static String reason(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && (t instanceof CamelExecutionException || t.getMessage() == null)) {
            t = t.getCause();
        }
        String message;
        if (t instanceof HttpOperationFailedException http) {
            message = "HTTP " + http.getStatusCode() + (http.getStatusText() == null ? "" : " " + http.getStatusText());
        } else {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            message = root.getClass().getSimpleName() + ": " + root.getMessage();
        }
        message = message.replaceAll("(https?://[^/\\s]+)/\\S*", "$1/…").replaceAll("\\s*\\R\\s*", "; ");
        return message.length() > 500 ? message.substring(0, 500) + "…" : message;
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
