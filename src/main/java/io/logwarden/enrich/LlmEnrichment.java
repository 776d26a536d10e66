package io.logwarden.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import io.logwarden.config.DetectProperties;
import io.logwarden.config.LlmProperties;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.DetectionResult;
import io.logwarden.detect.Detector;
import io.logwarden.detect.Enrichment;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ExchangePropertyKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code enrich} route's Java side: decides what to ask (severity, cache, budget), builds the prompts, reads
 * the answers and puts the outcome on each anomaly. The call itself is the route's langchain4j-chat endpoint
 * behind a circuit breaker. With provider {@code none} it only marks the anomalies skipped: no query, no call.
 */
@Component("llmEnrichment")
public class LlmEnrichment {

    static final String OFF = "LLM enrichment is off (logwarden.llm.provider: none)";
    private static final Logger log = LoggerFactory.getLogger(LlmEnrichment.class);

    private final LlmProperties props;
    private final DetectProperties detect;
    private final EnrichmentRepository repository;
    private final Prompts prompts;
    private final LlmAnswers answers;
    private final String model;
    private final ObjectMapper json;

    public LlmEnrichment(LlmProperties props, DetectProperties detect, EnrichmentRepository repository,
                         ObjectMapper json) {
        this.props = props;
        this.detect = detect;
        this.repository = repository;
        this.prompts = new Prompts(json, new Redactor(props.redaction()), props.evidenceLines());
        this.answers = new LlmAnswers(json);
        this.json = json;
        this.model = props.provider().id() + "/" + LlmChatModels.modelName(props);
    }

    public EnrichmentPlan plan(DetectionResult result, @Header(ExchangeHeaders.JOB_ID) long jobId) {
        EnrichmentPlan plan = new EnrichmentPlan(result, jobId, this::budgetExhausted);
        List<Anomaly> anomalies = result.anomalies();
        if (!props.enabled()) {
            java.util.Arrays.fill(plan.outcomes, Enrichment.skipped(OFF));
            return plan;
        }
        for (int i = 0; i < anomalies.size(); i++) {
            Anomaly a = anomalies.get(i);
            if (a.isSuppressed()) {
                plan.outcomes[i] = Enrichment.skipped("suppressed by rule " + a.suppressedBy());
                continue;
            }
            if (a.severity().compareTo(props.minSeverity()) < 0) {
                plan.outcomes[i] = Enrichment.skipped("below the minimum severity for enrichment ("
                        + props.minSeverity().label() + ")");
                continue;
            }
            Optional<Enrichment> cached = cachedExplanation(a);
            if (cached.isPresent()) {
                plan.outcomes[i] = cached.get();
            } else {
                plan.pending.add(new EnrichmentPlan.Request(EnrichmentPlan.Purpose.EXPLAIN, i, prompts.explain(a), 1));
            }
        }
        if (props.semantic().enabled()) {
            planClassification(plan);
        }
        return plan;
    }

    /** The messages of the next call; clears what the previous call's circuit breaker left on the exchange. */
    public List<ChatMessage> next(EnrichmentPlan plan, Exchange exchange) {
        exchange.removeProperty(ExchangePropertyKey.EXCEPTION_CAUGHT);
        plan.current = plan.pending.poll();
        return new ArrayList<>(plan.current.messages()); // the endpoint writes into the list it is given
    }

    /**
     * The circuit breaker's fallback: the call failed (after the client's retries) or was not made because the
     * circuit is open (then Camel leaves no exception, or a CallNotPermittedException).
     */
    public CallFailure fallback(Exchange exchange) {
        Throwable e = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        String state = exchange.getProperty(ExchangePropertyKey.CIRCUIT_BREAKER_RESPONSE_STATE, String.class);
        boolean open = e == null && state != null && state.contains("OPEN") && !state.contains("HALF");
        for (Throwable t = e; t != null && !open; t = t.getCause()) {
            open = t instanceof CallNotPermittedException;
        }
        if (open) {
            return new CallFailure(true, "the circuit breaker is open after repeated provider failures; "
                    + "calls resume after a pause");
        }
        return new CallFailure(false, reason(e));
    }

    public record CallFailure(boolean notCalled, String reason) {
    }

    /** Reads the answer (or the failure) of the current call into the plan; an invalid answer is asked again once. */
    public void answer(Object body, EnrichmentPlan plan) {
        EnrichmentPlan.Request request = plan.current;
        String purpose = request.purpose().name().toLowerCase(java.util.Locale.ROOT);
        if (body instanceof CallFailure failure) {
            if (failure.notCalled()) {
                plan.settle(request, Enrichment.skipped(failure.reason()));
                return;
            }
            plan.calls++;
            repository.recordCall(plan.jobId, purpose, "failed", request.promptChars());
            log.warn("Job {}: LLM call failed: {}", plan.jobId, failure.reason());
            plan.settle(request, Enrichment.failed(failure.reason()));
            return;
        }
        plan.calls++;
        String text = body == null ? null : body.toString();
        try {
            if (request.purpose() == EnrichmentPlan.Purpose.EXPLAIN) {
                LlmAnswers.Explanation e = answers.explanation(text);
                Anomaly a = plan.result.anomalies().get(request.index());
                repository.cache(a.source(), a.detector().id(), templateKey(a), model, answers.write(e));
                plan.outcomes[request.index()] = enriched(e, false);
            } else {
                Map<String, LlmAnswers.Verdict> verdicts = answers.verdicts(text, new ArrayList<>(plan.candidates.keySet()));
                for (LlmAnswers.Verdict v : verdicts.values()) {
                    if (!plan.verdicts.containsKey(v.id())) {
                        repository.cache(plan.result.source(), Detector.SEMANTIC.id(), v.id(), model, answers.write(v));
                        plan.verdicts.put(v.id(), v);
                        plan.verdictCached.put(v.id(), false);
                    }
                }
            }
            repository.recordCall(plan.jobId, purpose, "answered", request.promptChars());
        } catch (LlmAnswers.InvalidAnswer invalid) {
            repository.recordCall(plan.jobId, purpose, "invalid", request.promptChars());
            if (request.attempt() == 1) {
                plan.pending.addFirst(request.retry());
            } else {
                log.warn("Job {}: the LLM answered invalid JSON twice: {}", plan.jobId, invalid.getMessage());
                plan.settle(request, Enrichment.failed("invalid answer, also when asked again: " + invalid.getMessage()));
            }
        }
    }

    public DetectionResult finish(EnrichmentPlan plan) {
        List<Anomaly> anomalies = plan.result.anomalies();
        List<Anomaly> enriched = new ArrayList<>(anomalies.size());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < anomalies.size(); i++) {
            Enrichment outcome = plan.outcomes[i] != null ? plan.outcomes[i]
                    : Enrichment.skipped("not reached in this job");
            counts.merge(outcome.status(), 1, Integer::sum);
            enriched.add(anomalies.get(i).withEnrichment(outcome));
        }
        enriched.replaceAll(this::adjusted);
        List<Anomaly> semantic = semanticAnomalies(plan);
        enriched.addAll(semantic);
        if (props.enabled()) {
            log.info("Job {}: LLM enrichment by {}: {} call(s), {}, {} semantic anomal{}{}", plan.jobId, model,
                    plan.calls, counts, semantic.size(), semantic.size() == 1 ? "y" : "ies",
                    plan.notes.isEmpty() ? "" : "; " + String.join("; ", plan.notes));
        }
        return plan.result.withAnomalies(enriched);
    }

    // --- what to ask ---------------------------------------------------------------------------------------------

    private Optional<Enrichment> cachedExplanation(Anomaly a) {
        return repository.cached(a.source(), a.detector().id(), templateKey(a), model, props.cacheTtl()).flatMap(json -> {
            try {
                return Optional.of(enriched(answers.explanation(json), true));
            } catch (LlmAnswers.InvalidAnswer e) {
                return Optional.empty(); // an entry from an older format: ask again
            }
        });
    }

    /** The rarest templates first reported by the new-template detector: one classification call for the job. */
    private void planClassification(EnrichmentPlan plan) {
        Map<String, EnrichmentPlan.Candidate> all = new LinkedHashMap<>();
        for (Anomaly a : plan.result.anomalies()) {
            if (a.detector() == Detector.NEW_TEMPLATE && !a.isSuppressed()) {
                for (Anomaly.Contributor c : a.contributors()) {
                    all.putIfAbsent(c.templateId(), new EnrichmentPlan.Candidate(c, a));
                }
            }
        }
        List<EnrichmentPlan.Candidate> rarest = all.values().stream()
                .sorted(Comparator.comparingLong((EnrichmentPlan.Candidate c) -> c.template().count())
                        .thenComparing(c -> c.template().templateId()))
                .limit(props.semantic().maxTemplates()).toList();
        List<Map<String, Object>> ask = new ArrayList<>();
        for (EnrichmentPlan.Candidate c : rarest) {
            String id = c.template().templateId();
            plan.candidates.put(id, c);
            Optional<LlmAnswers.Verdict> cached = repository.cached(plan.result.source(), Detector.SEMANTIC.id(), id,
                    model, props.cacheTtl()).flatMap(this::verdict);
            if (cached.isPresent()) {
                plan.verdicts.put(id, cached.get());
                plan.verdictCached.put(id, true);
            } else {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("id", id);
                t.put("template", c.template().template());
                t.put("count", c.template().count());
                ask.add(t);
            }
        }
        if (!ask.isEmpty()) {
            plan.pending.add(new EnrichmentPlan.Request(EnrichmentPlan.Purpose.CLASSIFY, -1,
                    prompts.classify(plan.result.source(), ask), 1));
        }
    }

    private Optional<LlmAnswers.Verdict> verdict(String json) {
        try {
            return Optional.of(this.json.readValue(json, LlmAnswers.Verdict.class));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private String budgetExhausted(int jobCalls) {
        if (jobCalls >= props.maxCallsPerJob()) {
            return "LLM budget used up: " + props.maxCallsPerJob() + " calls per job (logwarden.llm.max-calls-per-job)";
        }
        if (repository.callsInLastHour() >= props.maxCallsPerHour()) {
            return "LLM budget used up: " + props.maxCallsPerHour()
                    + " calls per hour (logwarden.llm.max-calls-per-hour)";
        }
        return null;
    }

    /** The cache key: the anomaly's template, or for level-wide anomalies the set of templates that made it up. */
    static String templateKey(Anomaly a) {
        if (a.templateId() != null) {
            return a.templateId();
        }
        TreeSet<String> ids = new TreeSet<>();
        a.contributors().forEach(c -> ids.add(c.templateId()));
        return ids.isEmpty() ? "title:" + a.title() : String.join("+", ids);
    }

    // --- what came back ------------------------------------------------------------------------------------------

    private Enrichment enriched(LlmAnswers.Explanation e, boolean cached) {
        return new Enrichment(Enrichment.ENRICHED, null, e.summary(), e.probableCause(), e.recommendedActions(),
                e.severityAdjustment(), model, cached);
    }

    /** With {@code apply-severity-adjustment}, the LLM's score change is applied (and the severity follows). */
    private Anomaly adjusted(Anomaly a) {
        Enrichment e = a.enrichment();
        if (!props.applySeverityAdjustment() || e == null || e.severityAdjustment() == null
                || e.severityAdjustment() == 0 || !Enrichment.ENRICHED.equals(e.status())) {
            return a;
        }
        double score = Math.max(0, Math.min(99, a.score() + e.severityAdjustment()));
        return new Anomaly(a.source(), a.detector(), score, severity(score), a.windowStart(), a.windowEnd(),
                a.templateId(), a.template(), a.title(), a.explanation(), a.expected(), a.observed(), a.contributors(),
                a.evidence(), e, a.influencers(), a.parts(), a.details(), a.suppressedBy());
    }

    /** Suspicious verdicts become anomalies of the {@code llm-semantic} detector, scored 45 + 40 × confidence. */
    private List<Anomaly> semanticAnomalies(EnrichmentPlan plan) {
        List<Anomaly> found = new ArrayList<>();
        for (LlmAnswers.Verdict v : plan.verdicts.values()) {
            EnrichmentPlan.Candidate c = plan.candidates.get(v.id());
            if (!v.suspicious() || c == null) {
                continue;
            }
            double score = Math.round(45 + 40 * v.confidence());
            Anomaly parent = c.parent();
            String explanation = "New template judged suspicious by the LLM (" + model + ", confidence "
                    + String.format(java.util.Locale.ROOT, "%.2f", v.confidence()) + "): " + v.reason();
            found.add(new Anomaly(parent.source(), Detector.SEMANTIC, score, severity(score), parent.windowStart(),
                    parent.windowEnd(), v.id(), c.template().template(),
                    "Suspicious new message: " + c.template().template(), explanation, 0, c.template().count(),
                    List.of(c.template()), parent.evidence(),
                    new Enrichment(Enrichment.ENRICHED, null, v.reason(), null, List.of(), null, model,
                            plan.verdictCached.getOrDefault(v.id(), false)), parent.influencers(), List.of(), ""));
        }
        return found;
    }

    private Severity severity(double score) {
        return Severity.fromScore(score, detect.severity().critical(), detect.severity().high(),
                detect.severity().medium());
    }

    /** A failure in words; never the request (it may hold log text) and never the key. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof HttpException h && h.statusCode() == 401) {
                return "the provider refused the API key (HTTP 401)";
            }
            if (t instanceof RateLimitException || t instanceof HttpException h && h.statusCode() == 429) {
                return "the provider's rate limit was hit (HTTP 429), also on retry";
            }
            if (t instanceof dev.langchain4j.exception.TimeoutException || t instanceof java.net.http.HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "no answer within the timeout, also on retry";
            }
            if (t instanceof HttpException h) {
                return "the provider answered HTTP " + h.statusCode() + (h.statusCode() >= 500 ? ", also on retry" : "");
            }
        }
        if (e == null) {
            return "the call failed";
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return "the call failed: " + e.getClass().getSimpleName() + (message.length() > 160 ? message.substring(0, 160) + "…" : message);
    }
}
