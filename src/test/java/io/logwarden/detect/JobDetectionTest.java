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

    private final DetectProperties props = props(Map.of());

    /** The documented defaults (bound as Spring binds them), with overrides. */
    static DetectProperties props(Map<String, String> overrides) {
        return new Binder(new MapConfigurationPropertySource(overrides.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> "logwarden.detect." + e.getKey(), Map.Entry::getValue))))
                .bindOrCreate("logwarden.detect", DetectProperties.class);
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
        JobDetection job = new JobDetection("app.log", TemplateMiner.builder().build(), Set.of(), null, props);
        events.forEach(job::observe);
        return job.finish(10);
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
        assertThat(burst.evidence()).hasSize(5).allSatisfy(e -> assertThat(e.text()).contains("payment gateway timeout"));
        assertThat(burst.explanation()).contains("60 error/fatal events", "2 consecutive windows");
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
    void newTemplateAfterLearningPeriodIsReportedOnceWithItsException() {
        steadyTraffic(40);
        String trace = "Unable to acquire JDBC Connection\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available"
                + "\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)";
        add(33, 5, Level.ERROR, trace);
        add(33, 6, Level.ERROR, trace);
        // Rare but seen during learning: not new.
        add(3, 1, Level.WARN, "disk usage at 81 percent");
        add(35, 1, Level.WARN, "disk usage at 82 percent");

        DetectionResult result = run();
        assertThat(result.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.observed()).isEqualTo(2);
            assertThat(a.score()).isEqualTo(90); // error 80 + exception 10
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.evidence()).hasSize(2);
            assertThat(a.evidence().get(0).ref()).isEqualTo("app.log:" + (40 * 26 + 1));
            assertThat(a.explanation()).contains("never seen", "with an exception");
        });
        assertThat(result.newTemplates()).isEqualTo(1);
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
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
        // The flood of warnings is told as a warning burst (at most High); the novelty as one new-template anomaly.
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.WARNING_BURST).singleElement()
                .satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.HIGH));
        assertThat(result.anomalies()).filteredOn(a -> a.detector() == Detector.NEW_TEMPLATE).singleElement().satisfies(a -> {
            assertThat(a.detector()).isEqualTo(Detector.NEW_TEMPLATE);
            assertThat(a.title()).startsWith("2 new templates, led by: <*> - Connection is not available");
            assertThat(a.contributors()).extracting(Anomaly.Contributor::count).containsExactly(60L, 1L);
            assertThat(a.score()).isEqualTo(70); // warning 65 + frequent 5
            assertThat(a.evidence()).last().satisfies(e -> assertThat(e.text()).contains("circuit breaker"));
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
        assertThat(auth.title()).startsWith("Authentication failures: 61 per 1m window");
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
            assertThat(a.title()).endsWith("(+1 more template)");
        });
    }

    @Test
    void eventsFarOutOfTimeOrderAreCountedAsLateNotJudged() {
        steadyTraffic(40);
        events.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        JobDetection job = new JobDetection("app.log", TemplateMiner.builder().build(), Set.of(), null, props);
        events.forEach(job::observe);
        for (int i = 0; i < 30; i++) { // a burst at minute 20, appended after minute 39
            job.observe(new LogEvent("app.log", T0.plusSeconds(20 * 60 + i), Level.ERROR, null, null,
                    "payment gateway timeout after " + i + " ms", Map.of(), "late", null));
        }
        DetectionResult result = job.finish(10);
        assertThat(result.lateEvents()).isEqualTo(30);
        assertThat(result.timeline().get(20).errors()).isEqualTo(30);
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.ERROR_BURST);
    }

    @Test
    void theWindowForestFindsTrafficThatStoppedWhichNoCountDetectorSees() {
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
            assertThat(a.detector()).isEqualTo(Detector.WINDOW_FOREST);
            assertThat(a.windowStart()).isEqualTo(T0.plusSeconds(40 * 60));
            assertThat(a.windowEnd()).isEqualTo(T0.plusSeconds(43 * 60));
            assertThat(a.template()).startsWith("GET /api/orders/<*> took");
            assertThat(a.explanation()).contains("Isolation Forest score", "GET /api/orders/<*> took <*> ms\" 0 (usually 20)");
            assertThat(a.score()).isGreaterThanOrEqualTo(50);
        });
    }

    @Test
    void sessionsAreJudgedWhenASessionKeyIsConfigured() {
        DetectProperties withSessions = props(Map.of("sessions.key", "blk_-?\\d+"));
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
        JobDetection job = new JobDetection("hdfs.log", TemplateMiner.builder().build(), Set.of(), null, withSessions,
                null, true, sessions);
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
                    assertThat(a.title()).startsWith("HTTP 5xx ratio: 30% of requests");
                    assertThat(a.explanation()).contains("9 of 30 requests (30%) answered 5xx");
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
                    assertThat(a.title()).startsWith("Warning burst: 30 warnings per 1m window");
                    assertThat(a.contributors()).hasSize(3);
                });
        assertThat(result.anomalies()).noneMatch(a -> a.detector() == Detector.FREQUENCY_SPIKE);
    }

    @Test
    void templatesKnownFromEarlierJobsAreNotNew() {
        TemplateMiner miner = TemplateMiner.builder().build();
        Template known = miner.add("scheduler paused by admin");
        JobDetection job = new JobDetection("app.log", miner, Set.of(known.id()), T0.minus(Duration.ofDays(1)), props);
        job.observe(new LogEvent("app.log", T0, Level.INFO, null, null, "scheduler paused by admin", Map.of(), "x", null));
        job.observe(new LogEvent("app.log", T0, Level.INFO, null, null, "cache cleared by admin", Map.of(), "y", null));
        DetectionResult result = job.finish(10);
        assertThat(result.anomalies()).singleElement()
                .satisfies(a -> assertThat(a.template()).isEqualTo("cache cleared by admin"));
    }

    @Test
    void scoresFollowTheDocumentedFormula() {
        assertThat(Scoring.countScore(5, 0.5)).isBetween(84.0, 86.0);
        assertThat(Scoring.countScore(50, 0.5)).isEqualTo(99);
        assertThat(Scoring.countScore(60, 20)).isBetween(85.0, 86.0);
    }
}
