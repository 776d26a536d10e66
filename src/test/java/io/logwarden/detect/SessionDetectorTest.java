package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logwarden.event.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crafted HDFS-like sessions: every block is allocated once, received three times, acknowledged three times. */
class SessionDetectorTest {

    private static final Pattern BLOCK = Pattern.compile("blk_-?\\d+");

    private final TemplateMiner miner = TemplateMiner.builder().build();

    private void line(SessionDetector d, Level level, String message) {
        Template t = miner.add(message);
        for (String key : d.sessionKeys(message)) {
            d.observe(key, t, level, message);
        }
    }

    /** A normal session: allocate, 3 receiving, 3 received. */
    private void normal(SessionDetector d, String blk) {
        line(d, Level.INFO, "BLOCK* NameSystem.allocateBlock: /user/job_1/part-0 " + blk);
        for (int r = 1; r <= 3; r++) {
            line(d, Level.INFO, "Receiving block " + blk + " src: /10.0.0." + r + ":5000 dest: /10.0.0." + r + ":50010");
        }
        for (int r = 1; r <= 3; r++) {
            line(d, Level.INFO, "Received block " + blk + " of size 67108864 from /10.0.0." + r);
        }
    }

    private SessionDetector detector() {
        return SessionDetector.builder().sessionKey(BLOCK).trees(50).build();
    }

    private static Map<String, SessionVerdict> bySession(List<SessionVerdict> verdicts) {
        return verdicts.stream().collect(Collectors.toMap(SessionVerdict::session, Function.identity()));
    }

    @Test
    void aLineBelongsToEveryBlockItNamesUnlessFirstMatchOnlyIsAsked() {
        String msg = "BLOCK* ask 10.0.0.1:50010 to delete blk_1 blk_-2 blk_1";
        assertThat(detector().sessionKeys(msg)).containsExactly("blk_1", "blk_-2");
        assertThat(SessionDetector.builder().sessionKey(BLOCK).allMatches(false).build().sessionKeys(msg))
                .containsExactly("blk_1");
        assertThat(SessionDetector.builder().sessionAttribute("request_id").build()
                .sessionKeys(Map.of("request_id", "r-42"))).containsExactly("r-42");
    }

    @Test
    void ordinarySessionsAreNotAnomalousAndHaveNoReasons() {
        SessionDetector d = detector();
        for (int i = 0; i < 100; i++) {
            normal(d, "blk_" + i);
        }
        List<SessionVerdict> verdicts = d.judge();
        assertThat(verdicts).hasSize(100).noneMatch(SessionVerdict::anomalous);
        assertThat(verdicts.get(0).reasons()).isEmpty();
        assertThat(verdicts.get(0).events()).isEqualTo(7);
    }

    @Test
    void aRareErrorTemplateIsReportedWithItsShareAndEvidence() {
        SessionDetector d = detector();
        for (int i = 0; i < 200; i++) {
            normal(d, "blk_" + i);
        }
        line(d, Level.INFO, "Exception in receiveBlock for block blk_7 java.io.IOException: Connection reset by peer");
        line(d, Level.INFO, "Exception in receiveBlock for block blk_8 java.io.IOException: Connection reset by peer");

        Map<String, SessionVerdict> v = bySession(d.judge());
        assertThat(v.get("blk_7").anomalous()).isTrue();
        assertThat(v.get("blk_7").score()).isBetween(75.0, 99.0);
        assertThat(v.get("blk_7").reasons().get(0))
                .contains("'Exception in receiveBlock for block <*>")
                .contains("seen in 1.0% of sessions (2 of 200)")
                .contains("reads like an error");
        assertThat(v.get("blk_7").evidence()).anyMatch(l -> l.startsWith("Exception in receiveBlock for block blk_7"));
        assertThat(v.values().stream().filter(SessionVerdict::anomalous).map(SessionVerdict::session))
                .containsExactlyInAnyOrder("blk_7", "blk_8");
    }

    @Test
    void aBrokenCountRelationTogetherWithARareTemplateIsAnomalousButARareInfoTemplateAloneIsNot() {
        SessionDetector d = detector();
        for (int i = 0; i < 200; i++) {
            normal(d, "blk_" + i);
        }
        // blk_1: a fourth "Received" (breaks received = receiving) and a rare INFO template
        line(d, Level.INFO, "Received block blk_1 of size 67108864 from /10.0.0.9");
        line(d, Level.INFO, "BLOCK* NameSystem.addStoredBlock: addStoredBlock request received for blk_1 on 10.0.0.9:50010 size 67108864 But it does not belong to any file.");
        // blk_2: only the broken relation; blk_3..blk_6: only the rare template (2.5% of sessions)
        line(d, Level.INFO, "Received block blk_2 of size 67108864 from /10.0.0.9");
        for (int i = 3; i <= 6; i++) {
            line(d, Level.INFO, "Verification succeeded for blk_" + i);
        }

        Map<String, SessionVerdict> v = bySession(d.judge());
        SessionVerdict one = v.get("blk_1");
        assertThat(one.anomalous()).isTrue();
        assertThat(one.reasons()).anyMatch(r -> r.startsWith("count relation broken:") && r.contains("here 4 vs 3"));
        assertThat(one.reasons()).anyMatch(r -> r.contains("addStoredBlock request received for <*>"));
        // a broken relation alone is weak evidence; here the baseline is perfectly regular, so the forest
        // isolates blk_2 at once and that is strong evidence of its own
        assertThat(v.get("blk_2").reasons()).anyMatch(r -> r.startsWith("count relation broken:"));
        assertThat(v.get("blk_2").reasons().get(0)).startsWith("isolation forest score").contains("above cut")
                .contains("T3 'Received block <*> of size <*> from <*>' ×4 (usual 3)");
        assertThat(v.get("blk_3").anomalous()).isFalse();
        assertThat(v.get("blk_3").score()).isLessThan(50);
    }

    @Test
    void aModelTrainedOnABaselineJudgesNewSessionsAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        SessionDetector d = detector();
        for (int i = 0; i < 150; i++) {
            normal(d, "blk_" + i);
        }
        assertThat(d.retrain()).contains("150 sessions");
        d.clearSessions();
        d.save(dir.resolve("sessions.model"));

        SessionDetector loaded = SessionDetector.load(dir.resolve("sessions.model"));
        assertThat(loaded.hasModel()).isTrue();
        for (SessionDetector x : List.of(d, loaded)) {
            normal(x, "blk_900");
            normal(x, "blk_901");
            line(x, Level.WARN, "Unexpected error trying to delete block blk_901. BlockInfo not found in volumeMap.");
        }
        List<SessionVerdict> before = d.judge();
        List<SessionVerdict> after = loaded.judge();
        assertThat(after).isEqualTo(before);
        Map<String, SessionVerdict> v = bySession(after);
        assertThat(v.get("blk_900").anomalous()).isFalse();
        assertThat(v.get("blk_901").anomalous()).isTrue();
        assertThat(v.get("blk_901").reasons().get(0))
                .contains("never seen in the 150 baseline sessions")
                .contains("(level WARN)");
    }

    @Test
    void loadRejectsForeignClasses() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.net.URL("http://example.org/"));
        }
        assertThatThrownBy(() -> SessionDetector.fromBytes(bytes.toByteArray()))
                .isInstanceOf(java.io.InvalidClassException.class);
    }

    @Test
    void builderNeedsAKeyAndSaneShares() {
        assertThatThrownBy(() -> SessionDetector.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SessionDetector.builder().rareShare(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionDetector.builder().sessionKey(BLOCK).rareShare(0.01).veryRareShare(0.02).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> detector().toBytes()).isInstanceOf(IllegalStateException.class);
    }

    @Nested
    class WindowIsolation {

        private WindowIsolationDetector.WindowCounts window(long receiving, long received, long errors) {
            return new WindowIsolationDetector.WindowCounts(
                    Map.of("T1", receiving, "T2", received),
                    Map.of(Level.INFO, receiving + received, Level.ERROR, errors));
        }

        private List<WindowIsolationDetector.WindowCounts> baseline() {
            List<WindowIsolationDetector.WindowCounts> windows = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                long n = 100 + (i % 7) * 3; // steady traffic with a little jitter
                windows.add(window(n, n - (i % 3), i % 10 == 0 ? 1 : 0));
            }
            return windows;
        }

        @Test
        void aSpikeOfErrorsScoresAboveTheCutAndIsExplainedByItsLevelCount() {
            WindowIsolationDetector d = WindowIsolationDetector.builder().trees(100).build();
            d.fit(baseline());
            assertThat(d.baselineWindows()).isEqualTo(120);

            var ordinary = window(106, 105, 0);
            var spike = window(104, 103, 40);
            assertThat(d.isAnomalous(ordinary)).isFalse();
            assertThat(d.isAnomalous(spike)).isTrue();
            assertThat(d.score(spike)).isGreaterThan(d.score(ordinary)).isGreaterThan(d.cut());

            var top = d.explain(spike, 2);
            assertThat(top.get(0).feature()).isEqualTo("level:ERROR");
            assertThat(top.get(0).observed()).isEqualTo(40);
            assertThat(top.get(0).baselineMedian()).isEqualTo(0.0);
            assertThat(top.get(0).deviation()).isGreaterThan(10);
        }

        @Test
        void aTemplateTheBaselineNeverSawIsListedInTheExplanation() {
            WindowIsolationDetector d = WindowIsolationDetector.builder().build();
            d.fit(baseline());
            var w = new WindowIsolationDetector.WindowCounts(Map.of("T1", 100L, "T2", 100L, "T99", 12L),
                    Map.of(Level.INFO, 212L));
            assertThat(d.explain(w, 5)).extracting(WindowIsolationDetector.Contribution::feature).contains("template:T99");
        }

        @Test
        void saveAndLoadKeepTheScores(@TempDir Path dir) throws Exception {
            WindowIsolationDetector d = WindowIsolationDetector.builder().trees(30).build();
            d.fit(baseline());
            d.save(dir.resolve("window.model"));
            WindowIsolationDetector loaded = WindowIsolationDetector.load(dir.resolve("window.model"));
            var w = window(300, 20, 5);
            assertThat(loaded.score(w)).isEqualTo(d.score(w));
            assertThat(loaded.cut()).isEqualTo(d.cut());
        }

        @Test
        void aModelStoredByAnEarlierVersionLoadsAndScoresAsItDid() throws Exception {
            // Stored (10 trees, seed 42) by the code before feature slots, whose state also held a map by feature
            // name; services keep such models in PostgreSQL across upgrades. The figures are what that code printed.
            List<WindowIsolationDetector.WindowCounts> base = new ArrayList<>();
            Random r = new Random(1);
            for (int i = 0; i < 40; i++) {
                base.add(new WindowIsolationDetector.WindowCounts(Map.of("T1", 100L + r.nextInt(10), "T2", 50L + r.nextInt(5)),
                        Map.of(Level.INFO, 150L, Level.ERROR, (long) r.nextInt(3))));
            }
            var odd = new WindowIsolationDetector.WindowCounts(Map.of("T1", 5L, "T3", 90L), Map.of(Level.ERROR, 95L));
            WindowIsolationDetector stored = WindowIsolationDetector.load(
                    Path.of("src/test/resources/models/window-model-stored-by-0.1-ninth-round.bin"));
            WindowIsolationDetector fitted = WindowIsolationDetector.builder().trees(10).build();
            fitted.fit(base);
            for (WindowIsolationDetector d : List.of(stored, fitted)) {
                assertThat(d.score(odd)).isEqualTo(0.561310913482901);
                assertThat(d.score(base.get(0))).isEqualTo(0.32352777156572377);
                assertThat(d.cut()).isEqualTo(0.3919973979203401);
                assertThat(d.explain(odd, 3)).extracting(WindowIsolationDetector.Contribution::feature)
                        .containsExactly("template:T3", "level:ERROR", "level:INFO");
            }
        }

        @Test
        void countsAreReadOnlyCopiesOfOneClassWhateverTheirSize() {
            var one = new WindowIsolationDetector.WindowCounts(Map.of("T1", 3L), Map.of());
            var many = new WindowIsolationDetector.WindowCounts(Map.of("T1", 3L, "T2", 4L, "T3", 5L),
                    Map.of(Level.INFO, 7L, Level.ERROR, 5L));
            var none = new WindowIsolationDetector.WindowCounts(Map.of(), Map.of(Level.WARN, 1L));
            // the forest's code is compiled for the classes it meets: a window of one must not bring another
            assertThat(one.templates().getClass()).isEqualTo(many.templates().getClass()).isEqualTo(none.templates().getClass());
            assertThat(one.levels().getClass()).isEqualTo(many.levels().getClass()).isEqualTo(none.levels().getClass());
            assertThat(many.templates()).isEqualTo(Map.of("T1", 3L, "T2", 4L, "T3", 5L));
            assertThatThrownBy(() -> one.templates().put("T9", 1L)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> one.levels().put(Level.INFO, 1L)).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void scoringBeforeFittingFails() {
            assertThatThrownBy(() -> WindowIsolationDetector.builder().build().score(window(1, 1, 0)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
