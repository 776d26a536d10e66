package io.logwarden.alert;

import io.logwarden.detect.Detector;
import io.logwarden.detect.FeedbackRules;
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
    ResponseEntity<?> get(@PathVariable long id) {
        return rules.find(id).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> notFound(id));
    }

    @PostMapping
    ResponseEntity<?> create(@RequestBody SuppressionRequest request, Principal who) {
        try {
            if (request.source() == null || request.source().isBlank()) {
                throw new IllegalArgumentException("source is required");
            }
            if (request.detector() == null || Arrays.stream(Detector.values()).noneMatch(d -> d.id().equals(request.detector()))) {
                throw new IllegalArgumentException("detector must be one of "
                        + Arrays.stream(Detector.values()).map(Detector::id).toList());
            }
            FeedbackRules.Kind kind = request.kind() == null ? FeedbackRules.Kind.SUPPRESS
                    : FeedbackRules.Kind.valueOf(request.kind().toUpperCase(Locale.ROOT));
            if (kind == FeedbackRules.Kind.EXPECTED && (request.observed() == null || request.observed() <= 0)) {
                throw new IllegalArgumentException("an expected rule needs observed: the peak count per window that is normal");
            }
            String[] influencer = SuppressionRequest.influencer(request.influencer());
            Duration lasting = SuppressionRequest.duration(request.forDuration());
            Instant now = clock.instant();
            long id = rules.create(kind, request.source(), request.detector(), blank(request.templateId()),
                    influencer[0], influencer[1], request.observed(), lasting == null ? null : now.plus(lasting),
                    who == null ? "anonymous" : who.getName(), blank(request.reason()), null);
            return ResponseEntity.status(HttpStatus.CREATED).body(rules.find(id).orElseThrow());
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** Deletes a rule; what it suppressed stays suppressed, the source's next job is judged without it. */
    @DeleteMapping("/{id}")
    ResponseEntity<?> delete(@PathVariable long id) {
        return rules.delete(id) ? ResponseEntity.noContent().build() : notFound(id);
    }

    private static ResponseEntity<?> notFound(long id) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no suppression rule " + id));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
