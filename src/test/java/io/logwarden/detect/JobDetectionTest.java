package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.config.DetectProperties;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.Severity;
import io.logwarden.event.SourceRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class JobDetectionTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private final DetectionSettings props = props(Map.of());

    /** The documented defaults (bound as Spring binds them), with overrides. */
    static DetectionSettings props(Map<String, String> overrides) {
        return new Binder(new MapConfigurationPropertySource(overrides.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> "logwarden.detect." + e.getKey(), Map.Entry::getValue))))
                .bindOrCreate("logwarden.detect", DetectProperties.class).settings();
    }

    private final List<LogEvent> events = new ArrayList<>();
    private final Random random = new Random(7);
    private long line;

    private void add(int minute, int second, Level level, String message) {
        events.add(new LogEvent("app.log", T0.plusSeconds(minute * 60L + second), level, "svc", "host", message, Map.of(),
                message, SourceRef.fileLine("app.log", ++line)));
    }

    /** 40 minutes of steady traffic from three templates. */
    private void steadyTraffic(int minutes) {
        for (int m = 0; m < minutes; m++) {
            for (int i = 0; i < 20; i++) {
                add(m, i * 3, Level.INFO, "GET /api/orders/" + random.nextInt(10_000) + " took " + random.nextInt(90) + " ms");
            }
            for (int i = 0; i < 5; i++) {
                add(m, i * 11, Level.INFO, "user " + random.nextInt(500) + " logged in from 10.0.0." + random.nextInt(255));
            }
            add(m, 30, Level.DEBUG, "cache refreshed with " + random.nextInt(1000) + " entries");
        }
    }

    private DetectionResult run() {
        events.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        JobDetection job = new JobDetection("app.log", TemplateMiner.builder().build(), props);
        events.forEach(job::observe);
        return job.finish(10);
    }

    /** A zone loaded once a minute (a reload), and twenty times at once in {@code burstMinute}. */
    private void zoneLoads(int minutes, int burstMinute, Level level) {
        for (int m = 0; m < minutes; m++) {
            add(m, 40, Level.INFO, "zone shop.example/IN: loaded serial " + (2026120100 + m));
        }
        for (int z = 0; z < 20; z++) {
            add(burstMinute, 1 + z, level, "zone shop.example/IN: loaded serial " + (2026110100 + z));
        }
    }

    @Test
    void routineLinesAtOnceInAnInputsFirstWindowAreItsStartUp() {
        // a server starting loads all its zones in its first seconds; later a reload loads one: no spike at the start
        steadyTraffic(40);
        zoneLoads(40, 0, Level.INFO);
        assertThat(run().anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
    }

    @Test
    void routineLinesAtOnceInTheLastWindowWhereTheSourceStopsAreItsShutdown() {
        // clients all disconnected as the server stopped: no spike; the same without the stop is one
        steadyTraffic(40);
        disconnects(40, 39);
        add(39, 40, Level.INFO, "Shutting down: Received SIGTERM");
        assertThat(run().anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
        events.clear();
        steadyTraffic(40);
        disconnects(40, 39);
        assertThat(run().anomalies()).anySatisfy(a -> {
            assertThat(a.detector()).isEqualTo(Detector.FREQUENCY_SPIKE);
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(39 * 60));
        });
    }

    /** A client disconnecting twice a minute, and thirty at once in {@code burstMinute}. */
    private void disconnects(int minutes, int burstMinute) {
        for (int m = 0; m < minutes; m++) {
            add(m, 20, Level.INFO, "Client disconnected: connection closed");
            add(m, 50, Level.INFO, "Client disconnected: connection closed");
        }
        for (int c = 0; c < 30; c++) {
            add(burstMinute, 35, Level.INFO, "Client disconnected: connection closed");
        }
    }

    @Test
    void theSameLinesMidInputOrAsWarningsAtTheStartAreASpike() {
        steadyTraffic(40);
        zoneLoads(40, 20, Level.INFO);
        assertThat(run().anomalies()).anySatisfy(a -> {
            assertThat(a.detector()).isEqualTo(Detector.FREQUENCY_SPIKE);
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
        });
        events.clear();
        steadyTraffic(40);
        zoneLoads(40, 0, Level.WARN);
        assertThat(run().anomalies()).anySatisfy(a -> assertThat(a.windowStart()).isEqualTo(T0));
    }

    @Test
    void steadyTrafficHasNoAnomalies() {
        steadyTraffic(40);
        DetectionResult result = run();
        assertThat(result.anomalies()).isEmpty();
        assertThat(result.events()).isEqualTo(40 * 26);
        assertThat(result.templates()).isEqualTo(3);
        assertThat(result.timeline()).hasSize(40);
    }

    @Test
    void errorBurstIsFoundWithItsTemplateAndEvidence() {
        steadyTraffic(40);
        for (int m = 25; m < 27; m++) {
            for (int i = 0; i < 30; i++) {
                add(m, i, Level.ERROR, "payment gateway timeout after " + (5000 + i) + " ms for order " + i);
            }
        }
        // The template existed before the burst, at one error a minute or so, so it is not new.
        for (int m = 2; m < 20; m += 6) {
            add(m, 45, Level.ERROR, "payment gateway timeout after 5000 ms for order 17");
        }
        DetectionResult result = run();

        Anomaly burst = result.anomalies().stream().filter(a -> a.detector() == Detector.ERROR_BURST).findFirst().orElseThrow();
        assertThat(burst.windowStart()).isEqualTo(T0.plusSeconds(25 * 60));
        assertThat(burst.windowEnd()).isEqualTo(T0.plusSeconds(27 * 60));
        assertThat(burst.observed()).isEqualTo(30);
        assertThat(burst.expected()).isZero();
        assertThat(burst.severity()).isIn(Severity.HIGH, Severity.CRITICAL);
        assertThat(burst.contributors()).first().satisfies(c -> assertThat(c.template()).contains("payment gateway timeout"));
        // One example per template: the burst has one template.
        assertThat(burst.evidence()).singleElement().satisfies(e -> assertThat(e.text()).contains("payment gateway timeout"));
        assertThat(burst.title()).startsWith("60 errors in 2 min, usually 0–1 a minute");
        assertThat(burst.explanation()).contains("60 error events in 2 min", "peak 30 a minute");
        assertThat(burst.details()).contains("z ");
        // The burst's own template is listed in the burst, not reported again as a spike.
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
    }

    @Test
    void frequencySpikeOfAnInfoTemplate() {
        steadyTraffic(40);
        for (int i = 0; i < 200; i++) {
            add(30, i % 60, Level.INFO, "user " + random.nextInt(500) + " logged in from 10.0.0." + random.nextInt(255));
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.FREQUENCY_SPIKE);
            assertThat(a.template()).startsWith("user <*> logged in from");
            assertThat(a.observed()).isEqualTo(205);
            assertThat(a.expected()).isEqualTo(5);
            assertThat(a.score()).isGreaterThanOrEqualTo(75);
        });
    }

    @Test
    void aMessageThatCameOnceNamesTheValuesItCarries() {
        for (int m = 0; m < 40; m++) {
            for (int i = 0; i < 20; i++) {
                String server = "s" + (1 + i % 2);
                String text = "GET /api/items/" + random.nextInt(9000) + " HTTP/1.1 200";
                events.add(new LogEvent("lb.log", T0.plusSeconds(m * 60L + i * 3), Level.INFO, "haproxy", "lb1", text,
                        Map.of("upstream", "app/" + server, "status", "200", "service", "haproxy"), text,
                        SourceRef.fileLine("lb.log", ++line)));
            }
        }
        String down = "Server app/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\"";
        events.add(new LogEvent("lb.log", T0.plusSeconds(20 * 60 + 1), Level.FATAL, "haproxy", "lb1", down,
                Map.of("upstream", "app/s1", "backend", "app", "service", "haproxy"), down,
                SourceRef.fileLine("lb.log", ++line)));
        assertThat(run().anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            // one event cannot be weighed against the rest, but where it happened is what to look at; the service of
            // every line is no answer
            assertThat(a.influencers()).singleElement().satisfies(i -> {
                assertThat(i.text()).isEqualTo("upstream app/s1: 1 of 1 events, 50 % before");
            });
        });
    }

    @Test
    void rareMessagesThatCameTogetherAreLedByTheWorst() {
        steadyTraffic(40);
        // the cause once, at FATAL, and what it causes, an error that comes more often (and so scores higher alone)
        add(20, 1, Level.FATAL, "backend app has no server available!");
        for (int i = 2; i < 9; i++) add(20, i, Level.ERROR, "upstream request failed: no server for app");

        List<String> novel = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (Anomaly a : run().anomalies()) {
            if (a.detector() == Detector.NEW_TEMPLATE) {
                novel.add(a.title());
                scores.add(a.score());
            }
            a.parts().stream().filter(p -> p.detector() == Detector.NEW_TEMPLATE).forEach(p -> {
                novel.add(p.title());
                scores.add(p.score());
            });
        }
        assertThat(novel).containsExactly("2 rare messages, first: backend app has no server available!");
        assertThat(scores).containsExactly(85.0); // the group's highest: an error seen min-count times or more
    }

    @Test
    void aMessageThatCameOnceIsTitledByWhatItSaid() {
        steadyTraffic(40);
        // which server, which reason: the template masks both, the one line that came says them
        add(20, 1, Level.FATAL, "Server app/s1 is DOWN, reason: Layer4 timeout, check duration: 2001ms\n\tretrying in 5000ms");

        assertThat(run().anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.title()).isEqualTo("Rare message: Server app/s1 is DOWN, reason: Layer4 timeout, check duration: 2001ms");
            assertThat(a.contributors()).singleElement()
                    .satisfies(c -> assertThat(c.template()).contains("<*>")); // the template itself stays masked
        });
    }

    @Test
    void aNewErrorIsReportedWhereverItComesInAFirstFile() {
        steadyTraffic(40);
        String trace = "Unable to acquire JDBC Connection\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available"
                + "\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)";
        add(1, 5, Level.ERROR, trace); // early: there is no learning period to hide it
        add(1, 6, Level.ERROR, trace);
        // Rare warnings with nothing else going on are not reported.
        add(3, 1, Level.WARN, "disk usage at 81 percent");
        add(35, 1, Level.WARN, "disk usage at 82 percent");

        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.observed()).isEqualTo(2);
            assertThat(a.score()).isEqualTo(90); // error 80 + exception 10
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.evidence()).singleElement().satisfies(e -> assertThat(e.ref()).isEqualTo("app.log:" + (40 * 26 + 1)));
            assertThat(a.explanation()).contains("rare in this input", "with an exception");
        });
        assertThat(result.checks()).filteredOn(c -> c.detector().equals("new-template")).singleElement()
                .satisfies(c -> assertThat(c.note()).contains("1 rare ones without either not reported"));
    }

    private void startUp(int minute, int second) {
        add(minute, second, Level.INFO, "starting database server 15.4 on x86_64");
        add(minute, second, Level.INFO, "listening on address 127.0.0.1, port 5432");
        add(minute, second, Level.INFO, "database system was shut down at " + minute + ":" + second);
        add(minute, second + 1, Level.INFO, "database system is ready to accept connections");
    }

    private void shutDown(int minute, int second) {
        add(minute, second, Level.INFO, "received fast shutdown request");
        add(minute, second, Level.INFO, "aborting any active transactions");
        add(minute, second + 1, Level.INFO, "shutting down");
        add(minute, second + 1, Level.INFO, "database system is shut down");
    }

    @Test
    void routineRareMessagesTogetherInTheMiddleOfTheInputAreAChangeOfState() {
        startUp(0, 0);              // the input's first lines: a server starting is no incident there
        steadyTraffic(40);
        add(12, 40, Level.INFO, "configuration file reloaded"); // three routine rare lines together: too few
        add(12, 41, Level.INFO, "parameter work_mem changed to 8MB");
        add(12, 41, Level.INFO, "parameter max_wal_size changed to 2GB");
        shutDown(25, 10);          // a restart in the middle: eight rare lines within two seconds
        startUp(25, 11);
        shutDown(39, 58);           // the input's last lines: the server stopped at the end

        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.title()).isEqualTo("A restart: \"received fast shutdown request\" then \"starting database server"
                    + " <*> on <*>\" (8 rare messages at once)");
            assertThat(a.score()).isEqualTo(Novelty.CLUSTER_SCORE);
            assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(25 * 60));
            assertThat(a.explanation()).contains("restarted",
                    "\"received fast shutdown request\" at 2026-03-02T10:25:10Z (2 times in the input).");
            assertThat(a.contributors()).extracting(Anomaly.Contributor::template)
                    .doesNotContain("configuration file reloaded");
        });
        assertThat(result.checks()).filteredOn(c -> c.detector().equals("new-template")).singleElement()
                .satisfies(c -> assertThat(c.note()).contains("3 rare ones without either not reported"));
    }

    @Test
    void aStopThenAStartAmongRareMessagesIsARestartThoughOnlyTwoLinesSayIt() {
        steadyTraffic(40);
        add(10, 5, Level.INFO, "scheduler started for tenant blue");   // a start before any stop: no restart
        add(10, 9, Level.INFO, "old sessions stopped for tenant blue");
        add(18, 2, Level.INFO, "retention policy changed to 30 days");  // two routine rare lines: nothing
        add(18, 3, Level.INFO, "compaction window moved to 02:00");
        add(25, 10, Level.INFO, "Received signal 15; terminating.");    // sshd restarted: two lines
        add(25, 12, Level.INFO, "Server listening on 127.0.0.1 port 22.");

        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.title()).startsWith("A restart: \"Received signal").contains("\" then \"Server listening on")
                    .doesNotContain("rare messages at once");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(25 * 60));
            assertThat(a.score()).isEqualTo(Novelty.CLUSTER_SCORE);
            assertThat(a.details()).contains("a stop and a start among rare messages");
        });
    }

    @Test
    void aRestartIsFoundWhenItsTwoLinesAreTheInputsOnlyRareMessages() {
        steadyTraffic(40);
        add(30, 0, Level.INFO, "Stopping service worker pool");
        add(30, 20, Level.INFO, "Started worker pool with 8 threads");
        assertThat(run().anomalies()).singleElement().satisfies(a -> assertThat(a.title())
                .isEqualTo("A restart: \"Stopping service worker pool\" then \"Started worker pool with <*> threads\""));
    }

    @Test
    void aSourceWithHistoryReportsEveryTemplateItNeverSaw() {
        TemplateMiner miner = TemplateMiner.builder().build();
        Template known = miner.add("scheduler paused by admin");
        JobDetection job = new JobDetection("app.log", miner, Set.of(known.id()),
                new JobDetection.SourceHistory(5000, null, null), props, null, true, null);
        job.observe(new LogEvent("app.log", T0, Level.INFO, null, null, "scheduler paused by admin", Map.of(), "x", null));
        job.observe(new LogEvent("app.log", T0, Level.INFO, null, null, "cache cleared by admin", Map.of(), "y", null));
        DetectionResult result = job.finish(10);
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.template()).isEqualTo("cache cleared by admin");
            assertThat(a.explanation()).contains("never seen for this source");
        });
    }

    @Test
    void templatesFirstSeenTogetherAreOneAnomalyAndNeverAlsoASpike() {
        steadyTraffic(40);
        for (int m = 30; m < 33; m++) {
            for (int i = 0; i < 20; i++) {
                add(m, i, Level.WARN, "HikariPool-1 - Connection is not available, request timed out after " + (30000 + i) + "ms");
            }
        }
        add(30, 30, Level.INFO, "circuit breaker opened for payments");
        DetectionResult result = run();
        // One incident: the flood of warnings (at most High), with the two rare messages that came with it as a part.
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.WARNING_BURST);
            assertThat(a.severity()).isEqualTo(Severity.HIGH);
            assertThat(a.parts()).singleElement().satisfies(p -> {
                assertThat(p.detector()).isEqualTo(Detector.NEW_TEMPLATE);
                assertThat(p.title()).startsWith("2 rare messages, first: <*> - Connection is not available");
                assertThat(p.score()).isEqualTo(70); // warning 65 + frequent 5
            });
            assertThat(a.evidence()).anySatisfy(e -> assertThat(e.text()).contains("circuit breaker"));
            // one example line per template, even across the incident's parts
            assertThat(a.evidence()).extracting(Evidence::templateId).doesNotContainNull().doesNotHaveDuplicates();
        });
    }

    @Test
    void authenticationFailuresAreOneBurstNotOneSpikePerTemplate() {
        steadyTraffic(40);
        for (int i = 0; i < 40; i++) {
            add(1 + i, 50, Level.INFO, "Failed password for alice from 10.1.1." + i + " port " + (40000 + i) + " ssh2");
        }
        for (int i = 0; i < 30; i++) {
            add(35, i, Level.INFO, "Failed password for invalid user admin" + i + " from 203.0.113.45 port " + (50000 + i) + " ssh2");
            add(35, i, Level.INFO, "pam_unix(sshd:auth): authentication failure; rhost=203.0.113.45 user=admin" + i);
        }
        DetectionResult result = run();
        Anomaly auth = result.anomalies().stream().filter(a -> a.detector() == Detector.AUTH_FAILURE_BURST).findFirst().orElseThrow();
        assertThat(auth.observed()).isEqualTo(61);
        assertThat(auth.expected()).isEqualTo(1);
        assertThat(auth.title()).startsWith("61 authentication failures in 60 s, usually 1 a minute; address 203.0.113.45");
        assertThat(auth.influencers()).first().satisfies(i -> assertThat(i.text())
                .isEqualTo("address 203.0.113.45: 60 of 61 events, 0 % before"));
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
    }

    @Test
    void templatesSpikingTogetherAreOneAnomalyLedByTheLargestRatio() {
        steadyTraffic(40);
        for (int i = 0; i < 100; i++) {
            add(20, i % 60, Level.INFO, "GET /api/orders/" + i + " took " + i + " ms");
            add(20, i % 60, Level.INFO, "user " + i + " logged in from 10.0.0." + i);
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.FREQUENCY_SPIKE);
            assertThat(a.template()).startsWith("user <*> logged in");
            assertThat(a.contributors()).hasSize(2);
            assertThat(a.title()).contains("(+1 more)");
            // the lead is not the most frequent of the two: what rose with it is the other one, not itself again
            assertThat(a.explanation()).contains("Rising with it: \"GET /api/orders/<*> took <*> ms\"")
                    .doesNotContain("Rising with it: \"user");
        });
    }

    @Test
    void aTemplateOfOneTokenDoesNotLeadASpikeWhenOneThatSaysSomethingSpikesWithIt() {
        steadyTraffic(40);
        // a deadlock dump: a bare "InnoDB:" line before each part, and the line that tells what happened
        for (int i = 0; i < 36; i++) {   // three minutes of them: a spike over windows, "usually 0"
            add(20, i * 5, Level.INFO, "InnoDB:");
            add(20, i * 5, Level.INFO, "InnoDB:");
            add(20, i * 5, Level.INFO, "InnoDB: Transactions deadlock detected, dumping detailed information.");
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.FREQUENCY_SPIKE);
            assertThat(a.title()).startsWith("\"InnoDB: Transactions deadlock detected, dumping detailed information.\" 12 times")
                    .endsWith("(+1 more)");
        });
    }

    @Test
    void aMessageThatSaysSomethingFailedLeadsTheMessagesRisingAsMuchWithIt() {
        steadyTraffic(40);
        // a deadlock dump: its parts come as often as the line that tells what happened, and come first
        for (int i = 0; i < 36; i++) {
            add(20, i * 5, Level.INFO, "InnoDB: *** CONFLICTING WITH:");
            add(20, i * 5, Level.INFO, "InnoDB: *** WAITING FOR THIS LOCK TO BE GRANTED:");
            add(20, i * 5, Level.INFO, "InnoDB: Transactions deadlock detected, dumping detailed information.");
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.FREQUENCY_SPIKE);
            assertThat(a.title()).startsWith("\"InnoDB: Transactions deadlock detected, dumping detailed information.\"")
                    .endsWith("(+2 more)");
        });
    }

    @Test
    void linesOfNothingButNumbersDoNotMakeASpikeOfTheirOwn() {
        steadyTraffic(40);
        for (int m = 0; m < 40; m += 10) {   // a statistics dump's histogram lines, now and then
            add(m, 50, Level.INFO, "0.000256 0.000512 " + m);
        }
        for (int i = 0; i < 30; i++) {
            add(20, 40 + i % 10, Level.INFO, "0." + i + " 0." + (i + 1) + " " + i);
        }
        assertThat(run().anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
    }

    @Test
    void eventsOutOfArrivalOrderAreCountedByTheirOwnTimestamps() {
        steadyTraffic(40);
        events.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        JobDetection job = new JobDetection("app.log", TemplateMiner.builder().build(), props);
        events.forEach(job::observe);
        for (int i = 0; i < 30; i++) { // a burst at minute 20 that arrives after minute 39 (a second partition's backlog)
            job.observe(new LogEvent("app.log", T0.plusSeconds(20 * 60 + i), Level.ERROR, null, null,
                    "payment gateway timeout after " + i + " ms", Map.of(), "late", null));
        }
        DetectionResult result = job.finish(10);
        assertThat(result.lateEvents()).isZero();
        assertThat(result.timeline().get(20).errors()).isEqualTo(30);
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.ERROR_BURST).singleElement()
                .satisfies(a -> assertThat(a.observed()).isEqualTo(30));
    }

    @Test
    void trafficThatStopsIsADropAndTheForestRuns() {
        for (int m = 0; m < 60; m++) {
            if (m < 40 || m > 42) {
                for (int i = 0; i < 20; i++) {
                    add(m, i * 3, Level.INFO, "GET /api/orders/" + random.nextInt(10_000) + " took " + random.nextInt(90) + " ms");
                }
            }
            for (int i = 0; i < 5; i++) {
                add(m, i * 11, Level.INFO, "user " + random.nextInt(500) + " logged in from 10.0.0." + random.nextInt(255));
            }
            add(m, 30, Level.DEBUG, "cache refreshed with " + random.nextInt(1000) + " entries");
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.DROP);
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(40 * 60));
            assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(43 * 60));
            assertThat(a.title()).isEqualTo("No \"GET /api/orders/<*> took <*> ms\" for 3 min, usually 20 a minute");
        });
        assertThat(result.checks()).filteredOn(c -> c.detector().equals("isolation-forest")).singleElement()
                .satisfies(c -> assertThat(c.ran()).isTrue());
    }

    @Test
    void sessionsAreJudgedWhenASessionKeyIsConfigured() {
        DetectionSettings withSessions = props(Map.of("sessions.key", "blk_-?\\d+"));
        for (int b = 0; b < 60; b++) {
            String block = "blk_" + (1000 + b);
            int m = b / 3;
            add(m, 1, Level.INFO, "Receiving block " + block + " src: /10.0.0." + b + ":5000 dest: /10.0.0.9:50010");
            add(m, 2, Level.INFO, "Received block " + block + " of size 67108864 from /10.0.0." + b);
            add(m, 3, Level.INFO, "Deleting block " + block + " file /data/current/" + block);
        }
        add(25, 1, Level.INFO, "Receiving block blk_-42 src: /10.0.0.77:5000 dest: /10.0.0.9:50010");
        add(25, 2, Level.WARN, "writeBlock blk_-42 received exception java.io.IOException: Connection reset by peer");
        events.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        SessionDetector sessions = SessionDetector.builder().sessionKey(java.util.regex.Pattern.compile("blk_-?\\d+")).build();
        JobDetection job = new JobDetection("hdfs.log", TemplateMiner.builder().build(), Set.of(),
                new JobDetection.SourceHistory(0, null, null), withSessions, null, true, sessions);
        events.forEach(job::observe);
        DetectionResult result = job.finish(10);
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.SESSION).singleElement().satisfies(a -> {
            assertThat(a.title()).isEqualTo("Unusual session blk_-42 (2 events)");
            assertThat(a.explanation()).containsIgnoringCase("exception");
            assertThat(a.evidence()).isNotEmpty().allSatisfy(e -> assertThat(e.ref()).isEqualTo("blk_-42"));
        });
    }

    @Test
    void aBurstThatRecursEveryFewWindowsIsTheSourcesRhythmNotASpike() {
        steadyTraffic(60);
        for (int m = 0; m < 60; m += 4) { // a flush every four minutes, from the start
            for (int i = 0; i < 150; i++) {
                add(m, i % 60, Level.INFO, "flushed segment " + i + " to disk in " + (i % 7) + " ms");
            }
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
    }

    /** An access-log request: status in the attributes, 5xx as errors, as the access-log formats produce them. */
    private void request(int minute, int second, int status) {
        String text = "GET /api/items/" + random.nextInt(1000) + " HTTP/1.1 " + status;
        events.add(new LogEvent("access.log", T0.plusSeconds(minute * 60L + second), Level.fromHttpStatus(status), null,
                "10.0.0.1", text, Map.of("status", String.valueOf(status)), text, SourceRef.fileLine("access.log", ++line)));
    }

    private void clientRequest(int minute, int second, String client, String path, int status) {
        String text = "GET " + path + " HTTP/1.1 " + status;
        events.add(new LogEvent("access.log", T0.plusSeconds(minute * 60L + second), Level.fromHttpStatus(status), null,
                null, text, Map.of("status", String.valueOf(status), "client", client, "path", path), text,
                SourceRef.fileLine("access.log", ++line)));
    }

    /** 40 minutes of 120 requests a minute from 40 clients, the busiest of them about 12 a minute. */
    private void clients(int minutes) {
        for (int m = 0; m < minutes; m++) {
            for (int i = 0; i < 120; i++) {
                int c = random.nextInt(10) < 4 ? random.nextInt(4) : 4 + random.nextInt(36); // four heavier clients
                clientRequest(m, i / 2, "10.1.0." + c, random.nextBoolean() ? "/products/" + random.nextInt(50) : "/cart", 200);
            }
        }
    }

    @Test
    void aClientFarBusierThanAnyUsuallyIsReportedThoughEveryAnswerSucceeded() {
        clients(40);
        for (int m = 20; m < 23; m++) {   // a scraper: 90 product pages a minute for three minutes, all answered 200
            for (int i = 0; i < 90; i++) clientRequest(m, i * 2 / 3, "10.9.9.9", "/products/" + i % 50, 200);
        }
        DetectionResult result = run(); // no template's count tripled: the product pages are usually 60 a minute, now 150
        assertThat(result.anomalies()).singleElement()
                .satisfies(a -> {
                    assertThat(a.title()).startsWith("client 10.9.9.9: 90 events a minute, the busiest client usually ")
                            .endsWith(", for 3 min");
                    assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
                    assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(23 * 60));
                    assertThat(a.influencers()).first().satisfies(i -> {
                        assertThat(i.field()).isEqualTo("client");
                        assertThat(i.value()).isEqualTo("10.9.9.9");
                        assertThat(i.count()).isEqualTo(270);
                    });
                    assertThat(a.detector()).isEqualTo(Detector.ACTOR_SPIKE);
                    assertThat(a.explanation()).contains("Rising with it: \"GET /products/<*> <*>\" ×");
                });
    }

    @Test
    void anErrorBurstIsExplainedByItsErrorsNotByTheWarningsAroundThemNorByTheirStatus() {
        clients(40);
        for (int m = 0; m < 40; m++) {    // browsers asking for a missing icon: 404s all along, as many during the burst
            for (int i = 0; i < 20; i++) clientRequest(m, i * 3, "10.1.0." + i, "/favicon.ico", 404);
        }
        for (int i = 0; i < 30; i++) clientRequest(20, i * 2, "10.1.0." + (i % 30), "/api/checkout", 500); // the backend down
        DetectionResult result = run();
        assertThat(result.anomalies()).anySatisfy(a -> {
            assertThat(a.detector()).isEqualTo(Detector.ERROR_BURST);
            assertThat(a.title()).endsWith("; path /api/checkout in 100 %");
            assertThat(a.influencers()).noneMatch(i -> i.value().equals("404") || i.value().equals("/favicon.ico"));
        });
    }

    @Test
    void aClientWhoseRequestsFailIsLeftToTheFailuresBurstAndASteadyBusyClientIsNoSpike() {
        clients(40);
        for (int m = 0; m < 40; m++) {    // a monitor, every minute the busiest client at the same rate
            for (int i = 0; i < 30; i++) clientRequest(m, i * 2, "10.5.5.5", "/healthz", 200);
        }
        for (int m = 20; m < 23; m++) {   // a brute force: 90 failed logins a minute from one client
            for (int i = 0; i < 90; i++) clientRequest(m, i % 60, "10.6.6.6", "/admin/login", 401);
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.ACTOR_SPIKE)
                .anySatisfy(a -> assertThat(a.detector()).isEqualTo(Detector.AUTH_FAILURE_BURST));
    }

    @Test
    void theWholeSourceFallingToAThirdIsADropThoughNoMessageStops() {
        clients(40);
        events.removeIf(e -> {     // minutes 20 to 23: an upstream sends a third of the traffic, every request still 200
            long minute = (e.timestamp().getEpochSecond() - T0.getEpochSecond()) / 60;
            return minute >= 20 && minute < 23 && e.ref().line() % 3 != 0;
        });
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.DROP);
            assertThat(a.templateId()).isNull();
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
            assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(23 * 60));
            assertThat(a.title()).matches("6\\d % fewer events for 3 min \\(\\d+ instead of about 360\\), usually 2 a second");
            assertThat(a.details()).contains("at or below 50 % of the median 120 per window");
        });
    }

    @Test
    void aSourceAtTwoThirdsOfItsRateIsNoDrop() {
        clients(40);
        events.removeIf(e -> {
            long minute = (e.timestamp().getEpochSecond() - T0.getEpochSecond()) / 60;
            return minute >= 20 && minute < 23 && e.ref().line() % 3 == 0;
        });
        assertThat(run().anomalies()).isEmpty();
    }

    @Test
    void aRedirectLoopIsAStatusSpikeThoughNoTemplateRose() {
        clients(40);
        for (int m = 20; m < 22; m++) {   // a bad rewrite: product pages answer 301, 40 a minute, where none ever did
            for (int i = 0; i < 40; i++) {
                clientRequest(m, i, "10.1.0." + (4 + i % 36), "/products/" + i % 50, 301);
            }
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.STATUS_SPIKE);
            assertThat(a.title()).startsWith("status 301: 40 answers a minute, usually 0, for 2 min");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
            assertThat(a.influencers()).first().satisfies(i -> {
                assertThat(i.field()).isEqualTo("status");
                assertThat(i.value()).isEqualTo("301");
            });
            assertThat(a.contributors()).first().satisfies(c -> assertThat(c.template()).startsWith("GET /products/"));
            assertThat(a.evidence()).isNotEmpty().allSatisfy(e -> assertThat(e.text()).endsWith(" 301"));
        });
        assertThat(result.checks()).anySatisfy(c -> assertThat(c.detector()).isEqualTo("status-spike"));
    }

    private void sizedRequest(int minute, int second, String path, int status, long bytes) {
        String text = "GET " + path + " HTTP/1.1 " + status;
        events.add(new LogEvent("access.log", T0.plusSeconds(minute * 60L + second), Level.fromHttpStatus(status), null,
                null, text, Map.of("status", String.valueOf(status), "path", path, "client", "10.1.0." + second % 40,
                "bytes", String.valueOf(bytes), "request_time", "0.0" + (10 + second % 20)), text,
                SourceRef.fileLine("access.log", ++line)));
    }

    @Test
    void answersThatGrowWhileTheirCountStaysAreAValueShift() {
        for (int m = 0; m < 40; m++) {
            for (int i = 0; i < 30; i++) {
                boolean bug = m >= 20 && m < 23;   // a paging bug: the list answers the whole catalogue
                sizedRequest(m, i * 2, "/api/items", 200, bug ? 300_000 + i : 1_500 + 40 * (i % 10));
                sizedRequest(m, i * 2 + 1, "/products/" + i % 7, 200, 20_000 + 300 * (i % 10));
            }
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.VALUE_SHIFT);
            assertThat(a.title()).isEqualTo("\"GET /api/items <*>\": bytes 300 kB on average a minute, usually"
                    + " 1.7 kB, for 3 min");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
            assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(23 * 60));
            assertThat(a.evidence()).singleElement().satisfies(e -> assertThat(e.text()).contains("/api/items"));
            assertThat(a.contributors()).first().satisfies(c -> assertThat(c.count()).isEqualTo(90));
        });
        assertThat(result.checks()).anySatisfy(c -> assertThat(c.detector()).isEqualTo("value-shift"));
    }

    @Test
    void errorPagesAndVariableAnswersAreNoValueShift() {
        for (int m = 0; m < 40; m++) {
            for (int i = 0; i < 30; i++) {
                boolean outage = m >= 20 && m < 23;   // the upstream down: nginx's 502 page, larger than the JSON
                sizedRequest(m, i * 2, "/api/items", outage ? 502 : 200, outage ? 9_000 : 1_500);
                // image sizes vary widely all the time: high windows are its nature, not a shift
                sizedRequest(m, i * 2 + 1, "/img/" + i % 7, 200, m % 3 == 0 ? 90_000 : 8_000);
            }
        }
        assertThat(run().anomalies()).noneMatch(a -> a.detector() == Detector.VALUE_SHIFT);
    }

    private void timedRequest(int minute, int second, String path, String seconds) {
        String text = "GET " + path + " HTTP/1.1 200";
        events.add(new LogEvent("access.log", T0.plusSeconds(minute * 60L + second), Level.INFO, null, null, text,
                Map.of("status", "200", "path", path, "client", "10.1.0." + second % 40, "request_time", seconds), text,
                SourceRef.fileLine("access.log", ++line)));
    }

    @Test
    void aTimeMustRiseByFiftyMillisecondsToBeAValueShift() {
        // a proxy's cache: hits answered in 0-1 ms; for three minutes misses at 20 ms (cold), then at 400 ms (slow)
        for (int m = 0; m < 40; m++) {
            for (int i = 0; i < 30; i++) {
                String usual = i % 2 == 0 ? "0.000" : "0.001";
                timedRequest(m, i * 2, "/img/" + i % 5, m >= 5 && m < 8 ? "0.0" + (18 + i % 4) : usual);
                timedRequest(m, i * 2 + 1, "/api/items", m >= 25 && m < 28 ? "0.4" + i % 10 : usual);
            }
        }
        assertThat(run().anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.VALUE_SHIFT);
            assertThat(a.title()).startsWith("\"GET /api/items <*>\": request_time ");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(25 * 60));
        });
        assertThat(ValueShifts.minRise("duration_ms")).isEqualTo(50);
        assertThat(ValueShifts.minRise("upstream_response_time")).isEqualTo(0.05);
        assertThat(ValueShifts.minRise("bytes")).isZero();
    }

    @Test
    void aQueryThatSlowsIsAValueShiftOfTheDurationItsMessagesGive() {
        steadyTraffic(40);
        // PostgreSQL logs a statement's duration in its message, here one every 20 s: too few for a window of its own
        for (int m = 0; m < 40; m++) {
            for (int i = 0; i < 3; i++) {
                boolean slow = m >= 20 && m < 24;   // the query ten times slower for four minutes, as often
                double ms = slow ? 600 + 50 * i + random.nextInt(100) : 60 + random.nextInt(30) + random.nextDouble();
                add(m, 5 + i * 20, Level.INFO, String.format(java.util.Locale.ROOT,
                        "app@shop LOG:  duration: %.3f ms  statement: SELECT pg_sleep(0.0%d), count(*) FROM orders",
                        ms, 5 + i));
            }
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.VALUE_SHIFT);
            assertThat(a.title()).startsWith("\"app@shop LOG: duration: <*> ms statement: SELECT");
            assertThat(a.title()).contains(": duration_ms ").contains(" on average per 2 min, usually ")
                    .endsWith(", for 4 min");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
            assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(24 * 60));
            assertThat(a.details()).contains("its values judged per 2 min (too few per window)");
            assertThat(a.evidence()).singleElement().satisfies(e -> assertThat(e.text()).contains("duration: 7"));
        });
    }

    @Test
    void aRiseOverHalfAShortFileIsJudgedAgainstTheOtherHalf() {
        for (int m = 0; m < 10; m++) {
            for (int i = 0; i < 30; i++) {
                boolean bug = m >= 3 && m < 8;   // five minutes of ten: the median of the windows is no longer usual
                sizedRequest(m, i * 2, "/api/items", 200, bug ? 300_000 + i : 1_500 + 40 * (i % 10));
                sizedRequest(m, i * 2 + 1, "/products/" + i % 7, 200, 20_000 + 300 * (i % 10));
            }
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.VALUE_SHIFT);
            assertThat(a.title()).startsWith("\"GET /api/items <*>\": bytes 300 kB on average").endsWith(", for 5 min");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(3 * 60));
            assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(8 * 60));
            assertThat(a.details()).contains("means outside the rise");
        });
    }

    @Test
    void messagesGiveTheNumberBeforeAUnit() {
        assertThat(MessageValues.unitOf("app@shop LOG: duration: <*> ms statement: SELECT <*>")).isEqualTo("ms");
        assertThat(MessageValues.unitOf("Completed <*> OK in <*> ms")).isEqualTo("ms");
        assertThat(MessageValues.unitOf("Started <*> in <*> seconds (JVM running for <*>)")).isEqualTo("seconds");
        assertThat(MessageValues.unitOf("wrote <*> bytes, done")).isEqualTo("bytes");
        assertThat(MessageValues.unitOf("GET /api/items <*>")).isNull();
        assertThat(MessageValues.unitOf("retry in 5 s")).isNull();   // a constant is no value
        assertThat(MessageValues.read("LOG:  duration: 806.493 ms  statement: SELECT 1", "ms")).isEqualTo(806.493);
        assertThat(MessageValues.read("Payment authorised for order 241630 in 396 ms", "ms")).isEqualTo(396.0);
        assertThat(MessageValues.read("Completed 200 OK in 87ms", "ms")).isEqualTo(87.0);
        assertThat(MessageValues.read("sent to msgq-2 in 12 ms", "ms")).isEqualTo(12.0);   // "ms" inside a word: on
        assertThat(MessageValues.read("Started ShopApplication in 6.412 seconds (JVM running for 7.003)", "seconds"))
                .isEqualTo(6.412);
        assertThat(MessageValues.read("timeout after some ms", "ms")).isNaN();
        assertThat(MessageValues.read(null, "ms")).isNaN();
        assertThat(MessageValues.nameOf("ms")).isEqualTo("duration_ms");
        assertThat(MessageValues.nameOf("seconds")).isEqualTo("duration");
    }

    @Test
    void measuresReadTheNumberAFieldStartsWith() {
        assertThat(Measures.parse("1534")).isEqualTo(1534.0);
        assertThat(Measures.parse("0.004")).isEqualTo(0.004);
        assertThat(Measures.parse("0.004, 0.002")).isEqualTo(0.004);   // two upstreams tried: the first
        assertThat(Measures.parse("-")).isNaN();
        assertThat(Measures.parse("")).isNaN();
        assertThat(Measures.parse(null)).isNaN();
        assertThat(ValueShifts.format("bytes", 299_971)).isEqualTo("300 kB");
        assertThat(ValueShifts.format("bytes", 569)).isEqualTo("569 B");
        assertThat(ValueShifts.format("request_time", 0.035)).isEqualTo("35 ms");
        assertThat(ValueShifts.format("request_time", 1.25)).isEqualTo("1.3 s");
        assertThat(ValueShifts.format("duration_ms", 1250)).isEqualTo("1.3 s");
    }

    @Test
    void failuresAndOrdinaryAnswersAreNoStatusSpike() {
        assertThat(CountJudge.judgedStatus("301")).isTrue();
        assertThat(CountJudge.judgedStatus("304")).isTrue();
        assertThat(CountJudge.judgedStatus("204")).isTrue();
        assertThat(CountJudge.judgedStatus("200")).isFalse();   // the traffic's own count
        assertThat(CountJudge.judgedStatus("404")).isFalse();   // the warnings' burst
        assertThat(CountJudge.judgedStatus("503")).isFalse();   // the errors' burst
        assertThat(CountJudge.judgedStatus("-")).isFalse();
    }

    @Test
    void aRoutineRareMessageThatComesAtVolumeAndGoesIsABurst() {
        steadyTraffic(40);
        // A job retrying 30 times within one window, at INFO, then never again. Over two windows or more the
        // frequency spike tells it ("usually 0"); within one there is no count to compare, and novelty does.
        for (int i = 0; i < 30; i++) {
            add(20, i * 2, Level.INFO, "sync job retrying batch " + (1000 + i) + " on replica 2");
        }
        add(33, 0, Level.INFO, "report exported to archive 77");  // one routine rare line alone: nothing
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).as(a.title()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.title()).startsWith("Burst of a rare message: \"sync job retrying batch <*> on replica <*>\" 30 times in 59 s");
            assertThat(a.explanation()).contains("and not before or after", "change of behaviour");
            assertThat(a.score()).isEqualTo(Novelty.CLUSTER_SCORE + 5);
        });
    }

    @Test
    void aRoutineMessageThatSaysSomethingFailedIsABurstFromFiveTimes() {
        steadyTraffic(40);
        // A mail store refusing deliveries to a full mailbox, logged at INFO as Dovecot does: 8 times in 40 s
        for (int i = 0; i < 8; i++) {
            add(20, i * 5, Level.INFO, "msgid=<" + (4000 + i) + "@shop.example>: save failed to INBOX: Quota exceeded (mailbox for user is full)");
        }
        for (int i = 0; i < 8; i++) { // as many routine rare lines that say nothing failed: no burst
            add(30, i * 5, Level.INFO, "msgid=<" + (5000 + i) + "@shop.example>: saved mail to INBOX");
        }
        DetectionResult result = run();
        // (the routine lines may change the window's mix, which the forest tells; novelty has only the failure)
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.NEW_TEMPLATE).singleElement().satisfies(a -> {
            assertThat(a.title()).startsWith("Burst of a rare message: \"msgid=<<*>>: save failed to INBOX: Quota exceeded");
            assertThat(a.title()).contains("8 times in 36 s");
            assertThat(a.explanation()).contains("None is logged as an error, but each says something failed");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
        });
    }

    @Test
    void aRareWarningThatCameAsABurstBeforeAnotherAnomalyIsToldWhereItBegan() {
        steadyTraffic(40);
        // a reporting pool running dry from minute 15: queued queries time out, 6 warnings in 2.5 minutes (no
        // minute has enough for a spike of its own)
        for (int i = 0; i < 6; i++) add(15 + i / 2, 10 + (i % 2) * 30, Level.WARN, "pooler error: query_wait_timeout");
        // the database crashes at minute 25: an error spike, and the same warning 4 more times during it
        for (int i = 0; i < 60; i++) add(25, i, Level.ERROR, "server login failed: the database system is starting up");
        for (int i = 0; i < 4; i++) add(25, 30 + i, Level.WARN, "pooler error: query_wait_timeout");
        DetectionResult result = run();
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.NEW_TEMPLATE)
                .anySatisfy(a -> {
                    assertThat(a.template()).isEqualTo("pooler error: query_wait_timeout");
                    assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(15 * 60));
                });
    }

    @Test
    void warningsThatComeAgainAndAgainAndGoAreOneBurstLedByTheFirst() {
        steadyTraffic(40);
        for (int m = 0; m < 40; m++) {  // a source that warns a little all the time
            for (int i = 0; i < 4; i++) add(m, 7 + i * 13, Level.WARN, "slow query took " + (900 + random.nextInt(900)) + " ms");
        }
        // Redis failing its background save every 25 s: each try logs its cause, then the failure; never a level
        // burst (at most three pairs a minute beside four usual warnings), each message six times: a warning burst
        for (int i = 0; i < 6; i++) {
            add(20, i * 25, Level.WARN, "Failed opening the temp RDB file temp-" + (5200 + i) + ".rdb for saving: No such file or directory");
            add(20, i * 25 + 1, Level.WARN, "Background saving error");
        }
        for (int i = 0; i < 3; i++) {   // three warnings of another kind: fewer than a burst (four make one)
            add(31, i * 5, Level.WARN, "Client id=" + (30 + i) + " closed for overcoming of output buffer limits");
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).as(a.title()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.title()).isEqualTo("Burst of a rare message: \"Failed opening the temp RDB file <*> for saving: No"
                    + " such file or dire…\" 6 times in 2.1 min (+1 more)");
            assertThat(a.contributors()).extracting(Anomaly.Contributor::template)
                    .containsExactly("Failed opening the temp RDB file <*> for saving: No such file or directory",
                            "Background saving error");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(20 * 60));
        });
    }

    @Test
    void fourRareWarningsInAMinuteAreABurst() {
        steadyTraffic(40);
        // a streaming source dropped four times in a minute (Icecast's "Disconnecting source due to socket timeout")
        for (int i = 0; i < 4; i++) add(18, i * 19, Level.WARN, "Disconnecting source due to socket timeout");
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.title()).isEqualTo("Burst of a rare message: \"Disconnecting source due to socket timeout\" 4 times in 58 s");
        });
    }

    @Test
    void aCrashRestartIsFoundThoughAnEarlierIncidentsMessageComesAgainAfterIt() {
        startUp(0, 0);
        steadyTraffic(40);
        // a pool's connections dropped at minute 15 (a spike) and again when the server came back at minute 25
        for (int i = 0; i < 40; i++) {
            add(15, i, Level.INFO, "connection " + (100 + i) + " to db shop closed: error reading communication packets");
        }
        startUp(25, 10);   // killed, so no shutdown lines: the start-up lines again, the input's only other time
        for (int i = 0; i < 3; i++) {
            add(25, 12, Level.INFO, "connection " + (200 + i) + " to db shop closed: error reading communication packets");
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).anySatisfy(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            // this server's start-up says the database "was shut down" before: a restart, of four rare messages
            assertThat(a.title()).startsWith("A restart: ").endsWith("(4 rare messages at once)");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(25 * 60));
        });
    }

    @Test
    void moreServerErrorsBecauseOfMoreTrafficIsNotABurst() {
        for (int m = 0; m < 40; m++) {
            int requests = m == 30 ? 1000 : 100;          // a traffic surge at minute 30 ...
            for (int i = 0; i < requests; i++) {
                request(m, i % 60, i % 50 == 7 ? 503 : 200); // ... with the usual 2% of 5xx
            }
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.ERROR_BURST
                || a.detector() == Detector.HTTP_5XX_RATIO);
    }

    @Test
    void aHighShareOfServerErrorsInAQuietWindowIsReported() {
        for (int m = 0; m < 40; m++) {
            int requests = m == 30 ? 30 : 200;
            for (int i = 0; i < requests; i++) {
                boolean fail = m == 30 ? i < 9 : i % 100 < 3;    // 9 (30%) in the quiet minute, 6 (3%) otherwise
                request(m, i % 60, fail ? 502 : 200);
            }
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.HTTP_5XX_RATIO).singleElement()
                .satisfies(a -> {
                    assertThat(a.title()).startsWith("30 % of requests failed in 60 s (9 of 30), usually about 1");
                    assertThat(a.explanation()).contains("9 of 30 requests (30 %) were answered 5xx");
                    assertThat(a.evidence()).isNotEmpty().allSatisfy(e -> assertThat(e.text()).endsWith("502"));
                });
    }

    @Test
    void errorBurstsNameTheirExceptions() {
        steadyTraffic(40);
        for (int i = 0; i < 12; i++) {
            add(30, i, Level.ERROR, "order " + i + " failed\norg.springframework.dao.DataAccessResourceFailureException: no connection"
                    + "\n\tat com.acme.Orders.save(Orders.java:42)\nCaused by: java.sql.SQLTransientConnectionException: pool exhausted");
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.ERROR_BURST).singleElement()
                .satisfies(a -> assertThat(a.explanation()).contains(
                        "Exceptions: org.springframework.dao.DataAccessResourceFailureException ×12, java.sql.SQLTransientConnectionException ×12."));
    }

    @Test
    void warningsAreJudgedPerLevelAcrossTemplates() {
        steadyTraffic(40);
        for (int m = 0; m < 40; m += 2) {
            add(m, 40, Level.WARN, "slow query on table orders took " + (500 + m) + " ms");
        }
        for (int i = 0; i < 10; i++) {   // minute 31: several kinds of warning at once, none alone a spike
            add(31, i, Level.WARN, "slow query on table orders took " + (900 + i) + " ms");
            add(31, 20 + i, Level.WARN, "retrying payment " + i + " after timeout");
            add(31, 40 + i, Level.WARN, "cache miss ratio " + (40 + i) + " percent above threshold");
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.WARNING_BURST).singleElement()
                .satisfies(a -> {
                    assertThat(a.observed()).isEqualTo(30);
                    assertThat(a.title()).startsWith("30 warnings in 60 s, usually 1 a minute");
                    assertThat(a.contributors()).hasSize(3);
                });
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
    }

    @Test
    void theWindowIsChosenFromTheDataUnlessConfigured() {
        assertThat(TimeScale.choose(4 * 60_000, 6_000, 40, 1_000).window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(TimeScale.choose(20 * 60_000, 2_400, 40, 1_000).window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(TimeScale.choose(3 * 86_400_000L, 500_000, 40, 900_000).window()).isEqualTo(Duration.ofHours(1).multipliedBy(2));
        // sparse: a few events a minute over a day get windows that still hold some
        assertThat(TimeScale.choose(86_400_000L, 300, 40, 60_000).window()).isGreaterThanOrEqualTo(Duration.ofMinutes(30));

        steadyTraffic(40);
        DetectionResult chosen = run();
        assertThat(chosen.windowSeconds()).isEqualTo(60);
        assertThat(chosen.windowChoice()).startsWith("chosen from the data: 40 min of events");

        JobDetection configured = new JobDetection("app.log", TemplateMiner.builder().build(),
                props.withWindow(Duration.ofMinutes(5)));
        events.forEach(configured::observe);
        DetectionResult result = configured.finish(10);
        assertThat(result.windowSeconds()).isEqualTo(300);
        assertThat(result.windowChoice()).startsWith("configured");
    }

    @Test
    void theEndOfTheInputIsNotAStop() {
        steadyTraffic(20); // everything simply ends at minute 20
        DetectionResult result = run();
        assertThat(result.anomalies()).isEmpty();
        assertThat(result.checks()).filteredOn(c -> c.detector().equals("drop")).singleElement()
                .satisfies(c -> assertThat(c.ran()).isTrue());
    }

    @Test
    void aTemplateThatStopsWhileTheSourceGoesOnIsReportedWithItsUsualRate() {
        for (int m = 0; m < 30; m++) {
            for (int i = 0; i < 20; i++) {
                add(m, i * 3, Level.INFO, "GET /api/orders/" + random.nextInt(10_000) + " took " + random.nextInt(90) + " ms");
            }
            if (m < 12 || m >= 18) {
                for (int s = 0; s < 60; s += 10) add(m, s, Level.INFO, "heartbeat ok");
            }
        }
        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.DROP);
            assertThat(a.title()).isEqualTo("No \"heartbeat ok\" for 6 min, usually 6 a minute");
            assertThat(a.explanation()).contains("and then came back");
        });
    }

    @Test
    void aBurstOfAMessageElsewhereIsNotItsUsualRateWhenItIsAbsent() {
        // a disconnect about once a minute, 80 a minute during an attack at minutes 20-26, none at minutes 5-7:
        // three quiet minutes of a once-a-minute message are chance, though the mean with the attack is 16 a minute
        steadyTraffic(40);
        for (int m = 0; m < 40; m++) {
            if (m < 5 || m > 7) add(m, 25, Level.INFO, "Client disconnected: unexpected eof while reading");
            if (m >= 20 && m <= 26) {
                for (int i = 0; i < 79; i++) add(m, i % 60, Level.INFO, "Client disconnected: unexpected eof while reading");
            }
        }
        assertThat(run().anomalies()).noneMatch(a -> a.detector() == Detector.DROP);
    }

    @Test
    void aMessageThatBeginsLateHasNotStopped() {
        // sessions open from minute 0; the first one ends at minute 10, and from then on six end a minute
        steadyTraffic(40);
        for (int m = 10; m < 40; m++) {
            for (int s = 0; s < 60; s += 10) add(m, s, Level.INFO, "Client disconnected: connection closed");
        }
        assertThat(run().anomalies()).noneMatch(a -> a.detector() == Detector.DROP);
    }

    @Test
    void aSourceThatOftenAllButStopsOnItsOwnHasNoDropWhenItIsSilent() {
        // a broker: one line in most quiet minutes, bursts of 30-80 in busy ones, and two silent minutes (14 and 15)
        int[] perMinute = {10, 5, 1, 8, 12, 1, 1, 24, 21, 25, 5, 1, 4, 7, 0, 0, 17, 72, 74, 70, 39, 11, 8, 1, 1, 11, 83, 83,
                74, 2, 1, 10};
        for (int m = 0; m < perMinute.length; m++) {
            for (int i = 0; i < perMinute[m]; i++) add(m, i % 60, Level.WARN, "Transport Connection to: tcp://127.0.0.33:"
                    + (30000 + i) + " failed: Channel was inactive for too (>10000) long");
        }
        assertThat(run().anomalies()).noneMatch(a -> a.detector() == Detector.DROP);
    }

    @Test
    void aWarningThatCameOnceAsTheProcessStartedAgainIsReported() {
        // reloads at minutes 5, 15 and 25; the last one warns of an unknown setting, once
        steadyTraffic(40);
        for (int m : new int[] {5, 15, 25}) {
            add(m, 10, Level.INFO, "graceful shutdown started");
            add(m, 11, Level.INFO, "server started (lighttpd/1.4.69)");
        }
        add(25, 11, Level.WARN, "WARNING: unknown config-key: proxy.server (ignored)");
        assertThat(run().anomalies()).anySatisfy(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.title()).contains("unknown config-key: proxy.server");
        });
        // a warning every start gives is the process's own
        events.clear();
        steadyTraffic(40);
        for (int m : new int[] {5, 15, 25}) {
            add(m, 10, Level.INFO, "graceful shutdown started");
            add(m, 11, Level.INFO, "server started (lighttpd/1.4.69)");
            add(m, 11, Level.WARN, "WARNING: unknown config-key: proxy.server (ignored)");
        }
        assertThat(run().anomalies()).noneMatch(a -> a.title().contains("unknown config-key"));
    }

    @Test
    void oneWindowWithAThirdOfRequestsFailingIsAtLeastHighWithNoHistory() {
        for (int i = 0; i < 300; i++) request(0, 0, 200);
        for (int i = 0; i < 80; i++) request(0, 0, 500);
        DetectionResult result = run();
        assertThat(result.windowSeconds()).isEqualTo(1);
        assertThat(result.anomalies()).isNotEmpty().allSatisfy(a ->
                assertThat(a.severity()).isIn(Severity.HIGH, Severity.CRITICAL));
        assertThat(result.anomalies()).first().satisfies(a -> assertThat(a.influencers())
                .anySatisfy(i -> assertThat(i.text()).startsWith("status 500: 80 of 80 events")));
        assertThat(result.checks()).filteredOn(c -> c.detector().equals("isolation-forest")).singleElement()
                .satisfies(c -> {
                    assertThat(c.ran()).isFalse();
                    assertThat(c.note()).isEqualTo("needs 30 windows to train, this input has 1");
                });
    }

    @Test
    void chanceCountsOfSmallTemplatesAreNotSpikes() {
        // 8 where 2 are usual happens by chance about once in a thousand windows: not an anomaly
        for (int m = 0; m < 40; m++) {
            for (int i = 0; i < 20; i++) add(m, i * 3, Level.INFO, "GET /api/orders/" + random.nextInt(10_000) + " took 3 ms");
            int n = m == 25 ? 8 : 2;
            for (int i = 0; i < n; i++) add(m, 1 + i * 5, Level.INFO, "completed job " + i + " OK");
        }
        assertThat(run().anomalies()).isEmpty();
        assertThat(Poisson.upperTail(8, 2)).isBetween(1e-3, 2e-3);
        assertThat(Poisson.lowerTail(0, 24)).isLessThan(1e-10);
    }

    @Test
    void aBurstSpreadOverTwoBatchesOfAContinuousSourceIsOneIncidentWithItsFullCount() throws Exception {
        // A Kafka backlog read from two partitions: each batch mixes older and newer events.
        steadyTraffic(40);
        List<LogEvent> errors = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            errors.add(new LogEvent("app.log", T0.plusSeconds(23 * 60 + i * 3 / 2), Level.ERROR, null, null,
                    "payment gateway timeout after " + i + " ms", Map.of(), "error " + i, null));
        }
        events.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        DetectionSettings settings = props(Map.of("window", "60s", "lateness", "3m"));
        Instant cut = T0.plusSeconds(26 * 60);
        JobDetection first = new JobDetection("app.log", TemplateMiner.builder().build(), Set.of(),
                new JobDetection.SourceHistory(0, null, null), settings, null, true, null, true, null);
        events.stream().filter(e -> e.timestamp().isBefore(cut)).forEach(first::observe);
        errors.subList(0, 50).forEach(first::observe);                  // partition A's part of the burst
        DetectionResult one = first.finish(10);
        assertThat(one.anomalies()).noneMatch(a -> a.detector() == Detector.ERROR_BURST);
        assertThat(one.checks()).anySatisfy(c -> assertThat(c.note()).contains("judged with the source's next batch"));

        // The held windows go through their storage format, as the service keeps them between jobs.
        WindowStatsCodec.Stored held = WindowStatsCodec.read(WindowStatsCodec.write(
                first.heldWindows().windowMillis(), first.heldWindows().windows()));
        JobDetection second = new JobDetection("app.log", first.miner(), Set.of(),
                new JobDetection.SourceHistory(0, null, null), settings, null, true, null, true, held);
        errors.subList(50, 120).forEach(second::observe);               // partition B's part, late
        events.stream().filter(e -> !e.timestamp().isBefore(cut)).forEach(second::observe);
        DetectionResult two = second.finish(10);
        assertThat(two.lateEvents()).isZero();
        assertThat(two.anomalies()).filteredOn(a -> a.detector() == Detector.ERROR_BURST).singleElement().satisfies(a -> {
            assertThat(a.title()).startsWith("120 errors in 3 min");
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(23 * 60));
        });
    }

    @Test
    void scoresFollowTheDocumentedFormula() {
        assertThat(Scoring.countScore(5, 0.5)).isBetween(84.0, 86.0);
        assertThat(Scoring.countScore(50, 0.5)).isEqualTo(99);
        assertThat(Scoring.countScore(60, 20)).isBetween(85.0, 86.0);
    }
}
