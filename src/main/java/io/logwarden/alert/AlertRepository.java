package io.logwarden.alert;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Incidents (alert_incidents) and the delivery outbox (alert_deliveries). */
@Repository
public class AlertRepository {

    /** An incident's de-duplication state. */
    public record IncidentRow(String fingerprint, String source, String detector, String key, String status,
                              Instant openedAt, Instant lastSeenAt, Instant lastSentAt, String severity,
                              String lastPayload, String pendingPayload) {
    }

    /** One alert for one channel, and how its delivery went. */
    public record Delivery(long id, Long jobId, String channel, String kind, String fingerprint, String severity,
                           String title, String payload, String status, int attempts, Instant nextAttemptAt,
                           String lastError, Instant createdAt, Instant sentAt, Long digestId) {
    }

    private final JdbcClient jdbc;

    public AlertRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---- incidents

    /** The incident, locked until the surrounding transaction ends. */
    Optional<IncidentRow> lockIncident(String fingerprint) {
        return jdbc.sql("select * from alert_incidents where fingerprint = :f for update").param("f", fingerprint)
                .query(AlertRepository::incident).optional();
    }

    void openIncident(AlertPayloads.Incident i, Instant now, long jobId, String severity, String payload) {
        jdbc.sql("""
                insert into alert_incidents (fingerprint, source, detector, incident_key, status, opened_at, last_seen_at,
                                             last_sent_at, last_job_id, severity, last_payload, pending_payload, resolved_at)
                values (:f, :source, :detector, :key, 'open', :now, :now, :now, :job, :severity, :payload, null, null)
                on conflict (fingerprint) do update set status = 'open', opened_at = :now, last_seen_at = :now,
                       last_sent_at = :now, last_job_id = :job, severity = :severity, last_payload = :payload,
                       pending_payload = null, resolved_at = null""")
                .param("f", i.fingerprint()).param("source", i.source()).param("detector", i.detector())
                .param("key", i.key()).param("now", Timestamp.from(now)).param("job", jobId)
                .param("severity", severity).param("payload", payload).update();
    }

    /** Records a sighting; {@code sent}: an update went out now, else the payload waits as the pending update. */
    void seen(String fingerprint, Instant now, long jobId, String severity, String payload, boolean sent) {
        jdbc.sql("""
                update alert_incidents set last_seen_at = :now, last_job_id = :job, severity = :severity,
                       last_payload = case when :sent then :payload else last_payload end,
                       last_sent_at = case when :sent then :now else last_sent_at end,
                       pending_payload = case when :sent then null else :payload end
                 where fingerprint = :f""")
                .param("f", fingerprint).param("now", Timestamp.from(now)).param("job", jobId)
                .param("severity", severity).param("payload", payload).param("sent", sent).update();
    }

    /**
     * True when the incident was last seen by a job that then failed or was interrupted and none of its alerts is
     * sent or on its way: its input is analysed again, and that job must open it anew.
     */
    boolean openedByFailedJob(String fingerprint) {
        return jdbc.sql("""
                select exists (select 1 from alert_incidents i join jobs j on j.id = i.last_job_id
                                where i.fingerprint = :f and j.status in ('failed', 'interrupted')
                                  and not exists (select 1 from alert_deliveries d
                                                   where d.fingerprint = i.fingerprint and d.created_at >= i.opened_at
                                                     and d.status in ('pending', 'retrying', 'sent', 'held', 'digested')
                                                     and not exists (select 1 from jobs dj where dj.id = d.job_id
                                                                      and dj.status in ('failed', 'interrupted'))))""")
                .param("f", fingerprint).query(Boolean.class).single();
    }

    /**
     * Closes the open incidents of a source and detector (and template, when given) without a "resolved" alert: an
     * operator said they are not a problem. Returns how many.
     */
    int silence(String source, String detector, String templateId, Instant now) {
        return jdbc.sql("""
                update alert_incidents set status = 'resolved', resolved_at = :now, pending_payload = null
                 where status = 'open' and source = :source and detector = :detector
                   and (cast(:template as text) is null or incident_key = 'template:' || :template)""")
                .param("source", source).param("detector", detector).param("template", templateId)
                .param("now", java.sql.Timestamp.from(now)).update();
    }

    /** Open incidents nothing was seen of since {@code before}, locked (skipping those another instance holds). */
    List<IncidentRow> lockQuiet(Instant before) {
        return jdbc.sql("select * from alert_incidents where status = 'open' and last_seen_at < :before"
                        + " order by last_seen_at for update skip locked")
                .param("before", Timestamp.from(before)).query(AlertRepository::incident).list();
    }

    void resolve(String fingerprint, Instant now) {
        jdbc.sql("update alert_incidents set status = 'resolved', resolved_at = :now, pending_payload = null"
                        + " where fingerprint = :f")
                .param("f", fingerprint).param("now", Timestamp.from(now)).update();
    }

    public List<IncidentRow> incidents(int limit) {
        return jdbc.sql("select * from alert_incidents order by last_seen_at desc limit :limit").param("limit", limit)
                .query(AlertRepository::incident).list();
    }

    // ---- deliveries

    long enqueue(Long jobId, String channel, String kind, String fingerprint, String severity, String title,
                 String payload, String status, Instant now) {
        return jdbc.sql("""
                insert into alert_deliveries (job_id, channel, kind, fingerprint, severity, title, payload, status,
                                              next_attempt_at, created_at)
                values (:job, :channel, :kind, :f, :severity, :title, :payload, :status, :now, :now) returning id""")
                .param("job", jobId).param("channel", channel).param("kind", kind).param("f", fingerprint)
                .param("severity", severity).param("title", title).param("payload", payload).param("status", status)
                .param("now", Timestamp.from(now)).query(Long.class).single();
    }

    /** Deliveries whose job failed or was interrupted: their input is analysed again, so they never go out. */
    int cancelForFailedJobs() {
        return jdbc.sql("""
                update alert_deliveries d set status = 'cancelled',
                       last_error = 'job ' || j.id || ' ' || j.status || ': its input is analysed again'
                  from jobs j
                 where j.id = d.job_id and d.status in ('pending', 'retrying', 'held')
                   and j.status in ('failed', 'interrupted')""").update();
    }

    /**
     * The channel's next delivery that is due (its job has succeeded, or it belongs to none), locked until the
     * transaction ends; another instance skips it.
     */
    Optional<Delivery> lockNextDue(String channel, Instant now) {
        return jdbc.sql("""
                select d.* from alert_deliveries d left join jobs j on j.id = d.job_id
                 where d.channel = :channel and d.status in ('pending', 'retrying') and d.next_attempt_at <= :now
                   and (d.job_id is null or j.status = 'succeeded')
                 order by d.id limit 1 for update of d skip locked""")
                .param("channel", channel).param("now", Timestamp.from(now)).query(AlertRepository::delivery).optional();
    }

    int sentSince(String channel, Instant since) {
        return jdbc.sql("select count(*) from alert_deliveries where channel = :channel and status = 'sent'"
                        + " and sent_at > :since")
                .param("channel", channel).param("since", Timestamp.from(since)).query(Integer.class).single();
    }

    /** The held-back deliveries of a channel, locked, oldest first. */
    List<Delivery> lockHeld(String channel) {
        return jdbc.sql("select * from alert_deliveries where channel = :channel and status = 'held'"
                        + " order by id for update skip locked")
                .param("channel", channel).query(AlertRepository::delivery).list();
    }

    void markSent(long id, Instant now) {
        jdbc.sql("update alert_deliveries set status = 'sent', sent_at = :now, attempts = attempts + 1, last_error = null"
                        + " where id = :id")
                .param("id", id).param("now", Timestamp.from(now)).update();
    }

    void markFailedAttempt(long id, String status, String reason, Instant next) {
        jdbc.sql("update alert_deliveries set status = :status, attempts = attempts + 1, last_error = :reason,"
                        + " next_attempt_at = :next where id = :id")
                .param("id", id).param("status", status).param("reason", reason).param("next", Timestamp.from(next))
                .update();
    }

    void markHeld(long id) {
        jdbc.sql("update alert_deliveries set status = 'held' where id = :id").param("id", id).update();
    }

    void markDigested(List<Long> ids, long digestId) {
        jdbc.sql("update alert_deliveries set status = 'digested', digest_id = :digest where id in (:ids)")
                .param("digest", digestId).param("ids", ids).update();
    }

    /** Deliveries, newest first, optionally of one status and one channel. */
    public List<Delivery> deliveries(String status, String channel, int limit) {
        return jdbc.sql("""
                select * from alert_deliveries
                 where (cast(:status as text) is null or status = :status)
                   and (cast(:channel as text) is null or channel = :channel)
                 order by id desc limit :limit""")
                .param("status", status).param("channel", channel).param("limit", limit)
                .query(AlertRepository::delivery).list();
    }

    public Optional<Delivery> delivery(long id) {
        return jdbc.sql("select * from alert_deliveries where id = :id").param("id", id)
                .query(AlertRepository::delivery).optional();
    }

    private static IncidentRow incident(ResultSet rs, int row) throws SQLException {
        return new IncidentRow(rs.getString("fingerprint"), rs.getString("source"), rs.getString("detector"),
                rs.getString("incident_key"), rs.getString("status"), instant(rs, "opened_at"),
                instant(rs, "last_seen_at"), instant(rs, "last_sent_at"), rs.getString("severity"),
                rs.getString("last_payload"), rs.getString("pending_payload"));
    }

    private static Delivery delivery(ResultSet rs, int row) throws SQLException {
        return new Delivery(rs.getLong("id"), (Long) rs.getObject("job_id"), rs.getString("channel"),
                rs.getString("kind"), rs.getString("fingerprint"), rs.getString("severity"), rs.getString("title"),
                rs.getString("payload"), rs.getString("status"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "sent_at"),
                (Long) rs.getObject("digest_id"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
