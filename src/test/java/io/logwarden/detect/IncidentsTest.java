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

    @Test
    void whereConnectionsFailedIsNamedFromTheLinesShownWhenNoFieldNamesIt() {
        List<Evidence> lines = List.of(
                line("Dec 02 09:59:08 mx postfix/smtp[20773]: connect to 127.0.0.1[127.0.0.1]:19426: Connection refused"),
                line("Dec 02 09:59:10 mx postfix/error[21009]: AED7: to=<ivan@example.com>, relay=none, status=deferred"
                        + " (delivery temporarily suspended: connect to 127.0.0.1[127.0.0.1]:19426: Connection refused)"),
                line("Dec 02 09:59:20 mx postfix/qmgr[20378]: 34A8: from=<news@shop.example>, size=12337, nrcpt=1"));
        Anomaly deferred = anomaly(Detector.FREQUENCY_SPIKE, 99, "T1", List.of()).withEvidence(lines);
        assertThat(incidents.group(List.of(deferred)).get(0).explanation())
                .isEqualTo("explanation T1 Connections to 127.0.0.1[127.0.0.1]:19426 failed (2 lines shown).");
        // named already as a field, two endpoints, or a line that connects without failing: as it was
        Anomaly named = anomaly(Detector.ERROR_BURST, 99, "T2", List.of(new Anomaly.Influencer("upstream", "10.0.0.5:80", 9, 9, 0)))
                .withEvidence(lines);
        Anomaly two = anomaly(Detector.ERROR_BURST, 99, "T3", List.of()).withEvidence(List.of(lines.get(0),
                line("[proxy:error] AH00957: http: attempt to connect to 10.0.0.5:8080 (10.0.0.5:8080) failed")));
        Anomaly fine = anomaly(Detector.ERROR_BURST, 99, "T4", List.of()).withEvidence(List.of(
                line("Connecting to MASTER 127.0.0.1:19379"), line("connected to 10.0.0.5:5432")));
        assertThat(List.of(named, two, fine)).extracting(a -> incidents.group(List.of(a)).get(0).explanation())
                .containsExactly("explanation T2", "explanation T3", "explanation T4");
        assertThat(ConnectionFailures.endpoints(two.evidence())).containsExactly(
                java.util.Map.entry("127.0.0.1[127.0.0.1]:19426", 1), java.util.Map.entry("10.0.0.5:8080", 1));
    }

    @Test
    void aUrlTheFailureIsToldOfNamesWhereConnectionsFailedButALinkToReadMoreDoesNot() {
        Anomaly refused = anomaly(Detector.FREQUENCY_SPIKE, 99, "T1", List.of()).withEvidence(List.of(line(
                "inventory lookup failed for sku 1027: I/O error on GET request for \"http://127.0.0.1:19781/inventory/stock"
                        + "?sku=1027\": Connection refused")));
        assertThat(incidents.group(List.of(refused)).get(0).explanation())
                .isEqualTo("explanation T1 Connections to http://127.0.0.1:19781 failed (1 line shown).");
        Anomaly hadoop = anomaly(Detector.ERROR_BURST, 99, "T2", List.of()).withEvidence(List.of(line(
                "Call From MININT/10.86.165.66 to msra-sa-41:8030 failed on connection exception: java.net.ConnectException:"
                        + " Connection refused: no further information; For more details see:  http://wiki.apache.org/hadoop/ConnectionRefused")));
        assertThat(incidents.group(List.of(hadoop)).get(0).explanation()).isEqualTo("explanation T2");
    }

    @Test
    void goNetworkErrorsNameTheAddressTheyDialed() {
        // etcd's and Caddy's: "dial tcp ADDRESS: connect: …", "dial tcp ADDRESS: i/o timeout"
        Anomaly peer = anomaly(Detector.NEW_TEMPLATE, 80, "T1", List.of()).withEvidence(List.of(
                line("health check for peer 99bb0287b49ec7c7 could not connect: dial tcp 127.0.0.1:19946: connect: connection refused"),
                line("failed to dial 99bb0287b49ec7c7 on stream Message (dial tcp 127.0.0.1:19946: i/o timeout)")));
        assertThat(incidents.group(List.of(peer)).get(0).explanation())
                .isEqualTo("explanation T1 Connections to 127.0.0.1:19946 failed (2 lines shown).");
        Anomaly fine = anomaly(Detector.NEW_TEMPLATE, 80, "T2", List.of()).withEvidence(List.of(
                line("dial tcp 10.0.0.7:443 established in 3 ms")));
        assertThat(incidents.group(List.of(fine)).get(0).explanation()).isEqualTo("explanation T2");
    }

    @Test
    void atTheTopScoreTheFindingThatBeganFirstLeadsAndADropNever() {
        // a relay's refused requests (errors from 09:14) and the devices' catch-up once it was fixed (leases from 09:15)
        Anomaly errors = anomaly(Detector.ERROR_BURST, 99, "T4", START, List.of(
                new Anomaly.Influencer("address", "127.0.0.24", 201, 201, 0.0)));
        Anomaly catchUp = anomaly(Detector.FREQUENCY_SPIKE, 99, "T5", START.plusSeconds(60), List.of());
        Anomaly silence = anomaly(Detector.DROP, 99, "T6", START.minusSeconds(30), List.of());

        Anomaly incident = incidents.group(List.of(catchUp, silence, errors)).get(0);

        assertThat(incident.detector()).isEqualTo(Detector.ERROR_BURST);
        assertThat(incident.title()).isEqualTo("title T4");
        assertThat(incident.windowStart()).isEqualTo(START.minusSeconds(30));
        assertThat(incident.parts()).extracting(Anomaly.Part::detector)
                .containsExactlyInAnyOrder(Detector.FREQUENCY_SPIKE, Detector.DROP);
        // a higher score still leads, whenever it began
        Anomaly later = anomaly(Detector.FREQUENCY_SPIKE, 99.5, "T5", START.plusSeconds(60), List.of());
        assertThat(incidents.group(List.of(errors, later)).get(0).detector()).isEqualTo(Detector.FREQUENCY_SPIKE);
    }

    private static Evidence line(String text) {
        return new Evidence("x.log:1", START, "INFO", text);
    }

    private static Anomaly anomaly(Detector detector, double score, String templateId, List<Anomaly.Influencer> who) {
        return anomaly(detector, score, templateId, START, who);
    }

    private static Anomaly anomaly(Detector detector, double score, String templateId, Instant start,
                                   List<Anomaly.Influencer> who) {
        return new Anomaly("auth.log", detector, score, Severity.HIGH, start, start.plusSeconds(360), templateId,
                "template " + templateId, "title " + templateId, "explanation " + templateId, 0, 1,
                List.of(new Anomaly.Contributor(templateId, "template " + templateId, 1)), List.of(), null, who,
                List.of(), "");
    }
}
