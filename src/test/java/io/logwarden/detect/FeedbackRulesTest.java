package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Suppression and expected-behaviour rules applied to a job's anomalies. */
class FeedbackRulesTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static Anomaly burst(String source, double observed, String client) {
        Anomaly a = new Anomaly(source, Detector.ERROR_BURST, 92, Severity.CRITICAL, NOW, NOW.plusSeconds(30), null, null,
                "40 errors in 30 s", "why", 0, observed,
                List.of(new Anomaly.Contributor("T4", "payment gateway timeout <*>", (long) observed)), List.of());
        return a.withInfluencers(List.of(new Anomaly.Influencer("client", client, (long) observed, (long) observed, 0)));
    }

    private static FeedbackRules.Rule rule(long id, FeedbackRules.Kind kind, String template, String client,
                                           double observed, Instant expires) {
        return new FeedbackRules.Rule(id, kind, "pay.log", "error-burst", template, client == null ? null : "client",
                client, observed, expires);
    }

    @Test
    void aSuppressRuleMarksMatchingAnomaliesAndLeavesOthers() {
        List<Anomaly> found = List.of(burst("pay.log", 40, "10.0.0.7"), burst("pay.log", 40, "10.0.0.8"),
                burst("other.log", 40, "10.0.0.7"));
        FeedbackRules.Applied applied = FeedbackRules.apply(found,
                List.of(rule(3, FeedbackRules.Kind.SUPPRESS, "T4", "10.0.0.7", 0, null)), NOW);
        assertThat(applied.anomalies()).extracting(Anomaly::suppressedBy).containsExactly(3L, null, null);
        assertThat(applied.suppressed()).isEqualTo(1);
        // The template matches through the burst's contributors; another template does not match.
        assertThat(FeedbackRules.apply(found, List.of(rule(4, FeedbackRules.Kind.SUPPRESS, "T9", null, 0, null)), NOW)
                .suppressed()).isZero();
    }

    @Test
    void anExpiredRuleNoLongerApplies() {
        List<Anomaly> found = List.of(burst("pay.log", 40, "10.0.0.7"));
        assertThat(FeedbackRules.apply(found, List.of(rule(1, FeedbackRules.Kind.SUPPRESS, null, null, 0,
                NOW.minusSeconds(1))), NOW).anomalies().get(0).isSuppressed()).isFalse();
        assertThat(FeedbackRules.apply(found, List.of(rule(1, FeedbackRules.Kind.SUPPRESS, null, null, 0,
                NOW.plusSeconds(60))), NOW).anomalies().get(0).isSuppressed()).isTrue();
    }

    @Test
    void anExpectedRuleTakesInWhatIsNoBiggerThanTheExpectedPeak() {
        List<FeedbackRules.Rule> rules = List.of(rule(2, FeedbackRules.Kind.EXPECTED, "T4", null, 40, null));
        FeedbackRules.Applied same = FeedbackRules.apply(List.of(burst("pay.log", 55, "a")), rules, NOW);
        assertThat(same.anomalies()).isEmpty();
        assertThat(same.expected()).isEqualTo(1);
        FeedbackRules.Applied bigger = FeedbackRules.apply(List.of(burst("pay.log", 200, "a")), rules, NOW);
        assertThat(bigger.anomalies()).hasSize(1);
        assertThat(bigger.anomalies().get(0).isSuppressed()).isFalse();
    }
}
