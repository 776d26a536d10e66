package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentsTest {

    private static final Instant START = Instant.parse("2026-11-16T09:14:00Z");

    private final Incidents incidents = new Incidents(120_000, 10,
            new Scoring(new DetectionSettings.SeverityThresholds(90, 70, 40)));

    @Test
    void aBurstAndTheRareMessageThatCameWithItAreOneIncidentNamedByTheBurstsValues() {
        Anomaly burst = anomaly(Detector.ERROR_BURST, 95, "T1", List.of(
                new Anomaly.Influencer("address", "203.0.113.45", 660, 660, 0.0),
                new Anomaly.Influencer("service", "sshd", 660, 660, 0.38)));
        // a message that came twice, naming every value it carried, and one that came 40 times
        Anomaly once = anomaly(Detector.NEW_TEMPLATE, 30, "T9", List.of(
                new Anomaly.Influencer("service", "CRON", 2, 2, 0.03)));
        Anomaly rare = anomaly(Detector.NEW_TEMPLATE, 30, "T10", List.of(
                new Anomaly.Influencer("user", "backup", 40, 40, 0.0)));

        List<Anomaly> grouped = incidents.group(List.of(burst, once, rare));

        assertThat(grouped).hasSize(1);
        Anomaly incident = grouped.get(0);
        assertThat(incident.detector()).isEqualTo(Detector.ERROR_BURST);
        assertThat(incident.parts()).hasSize(1);
        assertThat(incident.influencers()).extracting(Anomaly.Influencer::value)
                .containsExactly("203.0.113.45", "sshd", "backup");
    }

    @Test
    void aRareMessageThatLeadsItsIncidentKeepsTheValuesItCarried() {
        Anomaly down = anomaly(Detector.NEW_TEMPLATE, 92, "T3", List.of(
                new Anomaly.Influencer("upstream", "app/s1", 1, 1, 0.0)));
        Anomaly errors = anomaly(Detector.ERROR_BURST, 85, "T4", List.of(
                new Anomaly.Influencer("status", "503", 300, 300, 0.0)));

        List<Anomaly> grouped = incidents.group(List.of(errors, down));

        assertThat(grouped).hasSize(1);
        assertThat(grouped.get(0).detector()).isEqualTo(Detector.NEW_TEMPLATE);
        assertThat(grouped.get(0).influencers()).extracting(Anomaly.Influencer::value).containsExactly("app/s1", "503");
    }

    private static Anomaly anomaly(Detector detector, double score, String templateId, List<Anomaly.Influencer> who) {
        return new Anomaly("auth.log", detector, score, Severity.HIGH, START, START.plusSeconds(360), templateId,
                "template " + templateId, "title " + templateId, "explanation " + templateId, 0, 1,
                List.of(new Anomaly.Contributor(templateId, "template " + templateId, 1)), List.of(), null, who,
                List.of(), "");
    }
}
