package io.logwarden.store;

import io.logwarden.event.AnomalyStatusChanged;
import io.logwarden.event.AnomalyStatusChanged.Feedback;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An operator changes an anomaly's status (open, acknowledged, false_positive) with a note: the change is kept with
 * who and when (the anomaly's row and its history), and once stored, {@link AnomalyStatusChanged} is published for
 * the feedback listeners. The API and the dashboard both call {@link #change}.
 */
@Service
public class AnomalyStatusService {

    /** An influencer a suppression is narrowed to: {@code field=value}. */
    private static final Pattern INFLUENCER = Pattern.compile("[A-Za-z0-9_.-]{1,64}=.{1,512}", Pattern.DOTALL);
    /** The longest note kept. */
    public static final int MAX_NOTE = 4000;

    /**
     * What the operator asked for.
     *
     * @param status      {@code open}, {@code acknowledged} or {@code false_positive}
     * @param note        why, or null
     * @param by          who: the user name, or {@code api-key:<name>}
     * @param feedback    what detection should learn; null is {@link Feedback#NONE}
     * @param suppressFor with {@link Feedback#SUPPRESS}: how long; null for good
     * @param influencer  with {@link Feedback#SUPPRESS}: {@code field=value} the rule is narrowed to, or null
     */
    public record Request(String status, String note, String by, Feedback feedback, Duration suppressFor,
                          String influencer) {

        public Request(String status, String note, String by) {
            this(status, note, by, Feedback.NONE, null, null);
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final AnomalyQueries queries;

    public AnomalyStatusService(JdbcClient jdbc, TransactionTemplate tx, ApplicationEventPublisher events,
                                AnomalyQueries queries) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.queries = queries;
    }

    /**
     * Stores the change and publishes the event (after the commit); returns the anomaly as it is now.
     *
     * @throws NotFoundException         for an unknown anomaly
     * @throws InvalidParameterException naming {@code status}, {@code note}, {@code for} or {@code influencer}
     */
    public AnomalyDetail change(long anomalyId, Request request) {
        validate(request);
        Feedback feedback = request.feedback() == null ? Feedback.NONE : request.feedback();
        String note = request.note() == null || request.note().isBlank() ? null : request.note().strip();
        AnomalyStatusChanged changed = tx.execute(status -> {
            record Row(String status, String source, String detector, String templateId) { }
            Row row = jdbc.sql("select status, source, detector, template_id from anomalies where id = :id for update")
                    .param("id", anomalyId)
                    .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                    .optional().orElseThrow(() -> new NotFoundException("anomaly", anomalyId));
            Instant at = jdbc.sql("""
                    insert into anomaly_status_history (anomaly_id, from_status, to_status, note, changed_by, feedback,
                                                        suppress_for, influencer)
                    values (:id, :from, :to, :note, :by, :feedback, cast(:seconds as double precision) * interval '1 second', :influencer)
                    returning changed_at""")
                    .param("id", anomalyId)
                    .param("from", row.status())
                    .param("to", request.status())
                    .param("note", note)
                    .param("by", request.by())
                    .param("feedback", feedback.name().toLowerCase(java.util.Locale.ROOT))
                    .param("seconds", request.suppressFor() == null ? null : (double) request.suppressFor().toSeconds())
                    .param("influencer", request.influencer())
                    .query((rs, i) -> rs.getTimestamp(1).toInstant()).single();
            jdbc.sql("update anomalies set status = :to, status_note = :note, status_by = :by, status_at = :at where id = :id")
                    .param("to", request.status())
                    .param("note", note)
                    .param("by", request.by())
                    .param("at", java.sql.Timestamp.from(at))
                    .param("id", anomalyId)
                    .update();
            return new AnomalyStatusChanged(anomalyId, row.source(), row.detector(), row.templateId(), row.status(),
                    request.status(), note, request.by(), at, feedback, request.suppressFor(), request.influencer());
        });
        events.publishEvent(changed);
        return queries.find(anomalyId).orElseThrow(() -> new NotFoundException("anomaly", anomalyId));
    }

    private static void validate(Request r) {
        if (r.status() == null || !AnomalyQueries.STATUSES.contains(r.status())) {
            throw new InvalidParameterException("status", "status must be one of open, acknowledged, false_positive"
                    + (r.status() == null ? "" : ", was '" + r.status() + "'"));
        }
        if (r.by() == null || r.by().isBlank()) {
            throw new InvalidParameterException("by", "who changed the status is required");
        }
        if (r.note() != null && r.note().length() > MAX_NOTE) {
            throw new InvalidParameterException("note", "note is longer than " + MAX_NOTE + " characters");
        }
        boolean suppress = r.feedback() == Feedback.SUPPRESS;
        if (r.suppressFor() != null) {
            if (!suppress) {
                throw new InvalidParameterException("for", "for applies to feedback=suppress only");
            }
            if (r.suppressFor().isNegative() || r.suppressFor().isZero()) {
                throw new InvalidParameterException("for", "for must be a positive duration");
            }
        }
        if (r.influencer() != null) {
            if (!suppress) {
                throw new InvalidParameterException("influencer", "influencer applies to feedback=suppress only");
            }
            if (!INFLUENCER.matcher(r.influencer()).matches()) {
                throw new InvalidParameterException("influencer", "influencer must be field=value");
            }
        }
        if (r.feedback() != null && r.feedback() != Feedback.NONE && r.status().equals("open")) {
            throw new InvalidParameterException("feedback", "feedback goes with acknowledged or false_positive, not open");
        }
    }
}
