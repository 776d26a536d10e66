package io.logwarden.alert;

import io.logwarden.detect.FeedbackRules;
import io.logwarden.event.AnomalyStatusChanged;
import io.logwarden.store.SuppressionRuleRepository;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Turns an operator's feedback on an anomaly into a rule detection applies from the source's next job on:
 * {@code SUPPRESS} makes a suppression rule (source, detector, template, optionally an influencer value, for a time
 * or for good), {@code EXPECTED} folds the anomaly's peak into the baseline of that source, detector and template.
 * Runs in the publisher's thread (and transaction, when it has one): the rule exists exactly when the status change
 * does.
 */
@Component
public class FeedbackListener {

    private static final Logger log = LoggerFactory.getLogger(FeedbackListener.class);

    private final SuppressionRuleRepository rules;
    private final AlertRepository alerts;
    private final JdbcClient jdbc;

    public FeedbackListener(SuppressionRuleRepository rules, AlertRepository alerts, JdbcClient jdbc) {
        this.rules = rules;
        this.alerts = alerts;
        this.jdbc = jdbc;
    }

    @EventListener
    public void on(AnomalyStatusChanged change) {
        if (change.feedback() == null || change.feedback() == AnomalyStatusChanged.Feedback.NONE) {
            return;
        }
        String[] influencer = SuppressionRequest.influencer(change.influencer());
        Instant at = change.at() == null ? Instant.now() : change.at();
        Instant expires = change.suppressFor() == null ? null : at.plus(change.suppressFor());
        String reason = change.note() == null || change.note().isBlank()
                ? "anomaly " + change.anomalyId() + " marked " + change.to() : change.note();
        // A burst of a whole level has no template of its own: the rule is for the template that made most of it, as
        // the incident's fingerprint is, not for every burst of the source.
        String template = change.templateId() != null ? change.templateId()
                : jdbc.sql("select contributors -> 0 ->> 'templateId' from anomalies where id = :id")
                        .param("id", change.anomalyId()).query(String.class).optional().orElse(null);
        long id;
        if (change.feedback() == AnomalyStatusChanged.Feedback.SUPPRESS) {
            id = rules.create(FeedbackRules.Kind.SUPPRESS, change.source(), change.detector(), template,
                    influencer[0], influencer[1], null, expires, change.by(), reason, change.anomalyId());
            // Its open incident ends here, without a "resolved" alert: the operator said it is not a problem.
            if (influencer[0] == null) {
                alerts.silence(change.source(), change.detector(), template, at);
            }
        } else {
            Double observed = jdbc.sql("select observed from anomalies where id = :id").param("id", change.anomalyId())
                    .query(Double.class).optional().orElse(null);
            if (observed == null) {
                throw new IllegalArgumentException("anomaly " + change.anomalyId() + " does not exist or has no observed"
                        + " count: it cannot be folded into the baseline");
            }
            id = rules.create(FeedbackRules.Kind.EXPECTED, change.source(), change.detector(), template,
                    influencer[0], influencer[1], observed, expires, change.by(), reason, change.anomalyId());
        }
        log.info("Feedback by {} on anomaly {} ({} / {}): {} rule {}{}", change.by(), change.anomalyId(),
                change.source(), change.detector(), change.feedback().name().toLowerCase(java.util.Locale.ROOT), id,
                expires == null ? ", for good" : ", until " + expires);
    }
}
