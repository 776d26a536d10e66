package io.logwarden.event;

import java.time.Duration;
import java.time.Instant;

/**
 * An operator changed an anomaly's status (the API, the dashboard or the {@code feedback} command). Published as an
 * application event once the change is stored; feedback listeners turn it into a suppression rule or a baseline
 * update.
 *
 * @param anomalyId   the anomaly
 * @param source      its source
 * @param detector    its detector
 * @param templateId  its template, or null
 * @param from        the status before ({@code open}, {@code acknowledged}, {@code false_positive})
 * @param to          the status after
 * @param note        the operator's note, or null
 * @param by          who changed it (user name or API key name)
 * @param at          when
 * @param feedback    what the operator asked detection to learn: {@link Feedback#NONE}, {@link Feedback#SUPPRESS} (a
 *                    rule: the same thing is stored as suppressed and not alerted) or {@link Feedback#EXPECTED} (the
 *                    events are normal: fold them into the baseline)
 * @param suppressFor how long a suppression rule lasts; null for good
 * @param influencer  an influencer value ({@code field=value}) the rule is narrowed to, or null for any
 */
public record AnomalyStatusChanged(long anomalyId, String source, String detector, String templateId, String from,
                                   String to, String note, String by, Instant at, Feedback feedback,
                                   Duration suppressFor, String influencer) {

    /** What the operator asked detection to learn from the change. */
    public enum Feedback { NONE, SUPPRESS, EXPECTED }
}
