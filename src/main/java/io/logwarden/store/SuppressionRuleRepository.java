package io.logwarden.store;

import io.logwarden.detect.FeedbackRules;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Operators' suppression and expected-behaviour rules (table suppression_rules), with who made them, when and why. */
@Repository
public class SuppressionRuleRepository {

    /** A rule as stored: what it matches, and who made it, when and why. */
    public record StoredRule(long id, String kind, String source, String detector, String templateId,
                             String influencerField, String influencerValue, Double observed, Instant expiresAt,
                             String createdBy, Instant createdAt, String reason, Long anomalyId) {

        public FeedbackRules.Rule rule() {
            return new FeedbackRules.Rule(id, FeedbackRules.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), source,
                    detector, templateId, influencerField, influencerValue, observed == null ? 0 : observed, expiresAt);
        }
    }

    private final JdbcClient jdbc;

    public SuppressionRuleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long create(FeedbackRules.Kind kind, String source, String detector, String templateId,
                       String influencerField, String influencerValue, Double observed, Instant expiresAt,
                       String createdBy, String reason, Long anomalyId) {
        return jdbc.sql("""
                insert into suppression_rules (kind, source, detector, template_id, influencer_field, influencer_value,
                                               observed, expires_at, created_by, reason, anomaly_id)
                values (:kind, :source, :detector, :template, :field, :value, :observed, :expires, :by, :reason, :anomaly)
                returning id""")
                .param("kind", kind.name().toLowerCase(Locale.ROOT))
                .param("source", source)
                .param("detector", detector)
                .param("template", templateId)
                .param("field", influencerField)
                .param("value", influencerValue)
                .param("observed", observed)
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .param("by", createdBy)
                .param("reason", reason)
                .param("anomaly", anomalyId)
                .query(Long.class).single();
    }

    /** The source's rules that have not expired: what detection applies to its next job. */
    public List<FeedbackRules.Rule> active(String source, Instant now) {
        return jdbc.sql("select * from suppression_rules where source = :source and (expires_at is null or expires_at > :now)"
                        + " order by id")
                .param("source", source).param("now", Timestamp.from(now))
                .query(SuppressionRuleRepository::map).list().stream().map(StoredRule::rule).toList();
    }

    /** All rules, newest first; expired ones too unless {@code activeOnly}. */
    public List<StoredRule> list(boolean activeOnly, Instant now) {
        return jdbc.sql("select * from suppression_rules where not :activeOnly or expires_at is null or expires_at > :now"
                        + " order by id desc")
                .param("activeOnly", activeOnly).param("now", Timestamp.from(now))
                .query(SuppressionRuleRepository::map).list();
    }

    public Optional<StoredRule> find(long id) {
        return jdbc.sql("select * from suppression_rules where id = :id").param("id", id)
                .query(SuppressionRuleRepository::map).optional();
    }

    /** Deletes a rule; anomalies it suppressed stay suppressed (what was decided then is kept). */
    public boolean delete(long id) {
        return jdbc.sql("delete from suppression_rules where id = :id").param("id", id).update() > 0;
    }

    private static StoredRule map(ResultSet rs, int row) throws SQLException {
        return new StoredRule(rs.getLong("id"), rs.getString("kind"), rs.getString("source"), rs.getString("detector"),
                rs.getString("template_id"), rs.getString("influencer_field"), rs.getString("influencer_value"),
                (Double) rs.getObject("observed"), JobRepository.instant(rs, "expires_at"), rs.getString("created_by"),
                JobRepository.instant(rs, "created_at"), rs.getString("reason"),
                rs.getObject("anomaly_id") == null ? null : rs.getLong("anomaly_id"));
    }
}
