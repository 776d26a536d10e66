package io.logwarden.alert;

import io.logwarden.detect.Detector;
import io.logwarden.detect.FeedbackRules;
import io.logwarden.store.InvalidParameterException;
import io.logwarden.store.NotFoundException;
import io.logwarden.store.SuppressionRuleRepository;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Suppression and expected-behaviour rules: listed (who made each, when and why), made directly, deleted. Rules made
 * from an anomaly come from its status change ({@link FeedbackListener}).
 */
@RestController
@RequestMapping("/api/v1/suppressions")
class SuppressionController {

    private final SuppressionRuleRepository rules;
    private final Clock clock;

    SuppressionController(SuppressionRuleRepository rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    /** Rules, newest first; {@code all=true} includes expired ones. */
    @GetMapping
    Map<String, Object> list(@RequestParam(defaultValue = "false") boolean all) {
        return Map.of("rules", rules.list(!all, clock.instant()));
    }

    @GetMapping("/{id}")
    SuppressionRuleRepository.StoredRule get(@PathVariable long id) {
        return rules.find(id).orElseThrow(() -> new NotFoundException("suppression rule", id));
    }

    /** Answers 400 (problem+json naming the parameter) when the request is not a rule. */
    @PostMapping
    ResponseEntity<SuppressionRuleRepository.StoredRule> create(@RequestBody SuppressionRequest request, Principal who) {
        if (request.source() == null || request.source().isBlank()) {
            throw new InvalidParameterException("source", "source is required");
        }
        if (request.detector() == null || Arrays.stream(Detector.values()).noneMatch(d -> d.id().equals(request.detector()))) {
            throw new InvalidParameterException("detector", "detector must be one of "
                    + Arrays.stream(Detector.values()).map(Detector::id).toList());
        }
        FeedbackRules.Kind kind;
        try {
            kind = request.kind() == null ? FeedbackRules.Kind.SUPPRESS
                    : FeedbackRules.Kind.valueOf(request.kind().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("kind", "kind must be suppress or expected");
        }
        if (kind == FeedbackRules.Kind.EXPECTED && (request.observed() == null || request.observed() <= 0)) {
            throw new InvalidParameterException("observed",
                    "an expected rule needs observed: the peak count per window that is normal");
        }
        String[] influencer;
        Duration lasting;
        try {
            influencer = SuppressionRequest.influencer(request.influencer());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("influencer", e.getMessage());
        }
        try {
            lasting = SuppressionRequest.duration(request.forDuration());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("for", e.getMessage());
        }
        Instant now = clock.instant();
        long id = rules.create(kind, request.source(), request.detector(), blank(request.templateId()),
                influencer[0], influencer[1], request.observed(), lasting == null ? null : now.plus(lasting),
                who == null ? "anonymous" : who.getName(), blank(request.reason()), null);
        return ResponseEntity.status(HttpStatus.CREATED).body(rules.find(id).orElseThrow());
    }

    /** Deletes a rule; what it suppressed stays suppressed, the source's next job is judged without it. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        if (!rules.delete(id)) {
            throw new NotFoundException("suppression rule", id);
        }
        return ResponseEntity.noContent().build();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
