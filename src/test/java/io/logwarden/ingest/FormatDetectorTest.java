package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatDetectorTest {

    private final FormatRegistry registry = new FormatRegistry(IngestSettings.defaults(), Clock.systemUTC());
    private final FormatDetector detector = new FormatDetector(registry, Map.of("*.access.log", "nginx-access"), 0.6);

    @Test
    void detectsEachBuiltInFormat() {
        assertThat(detect("x.log", "{\"ts\":\"2026-01-15T10:00:00Z\",\"msg\":\"a\"}")).isEqualTo("json");
        assertThat(detect("x.log", "1.2.3.4 - - [15/Mar/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5")).isEqualTo("apache-access");
        assertThat(detect("x.log", "1.2.3.4 - - [15/Mar/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" 0.004"))
                .isEqualTo("nginx-access");
        assertThat(detect("x.log", "[Wed Oct 11 14:32:52 2000] [error] [client 1.2.3.4] denied")).isEqualTo("apache-error");
        assertThat(detect("x.log", "2026/01/15 10:00:00 [error] 1234#0: *5 open() failed")).isEqualTo("nginx-error");
        assertThat(detect("x.log", "Oct 11 22:14:15 host sshd[1]: Accepted publickey for bob")).isEqualTo("syslog");
        assertThat(detect("x.log", "2026-01-15 10:00:00,123 INFO [main] com.foo.Bar - started")).isEqualTo("app");
        assertThat(detect("x.log", "1796205553.377      0 127.0.0.20 TCP_MISS/503 3516 GET http://shop.example:19529/ -"
                + " HIER_DIRECT/127.0.0.1 text/html")).isEqualTo("squid");
        assertThat(detect("x.log", "I1202 10:00:08.621429    2137 kubelet.go:2145] \"SyncLoop ADD\" source=\"api\""))
                .isEqualTo("klog");
    }

    @Test
    void combinedLogsGoToNginxWhenTheFileNameSaysSo() {
        String combined = "1.2.3.4 - - [15/Mar/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"";
        assertThat(detect("nginx-access.log", combined)).isEqualTo("nginx-access");
        assertThat(detect("access.log", combined)).isEqualTo("apache-access");
    }

    @Test
    void continuationLinesDoNotCountAgainstAFormat() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add("2026-01-15 10:00:0" + i + ",000 ERROR [main] com.foo.Bar - failed");
            lines.add("java.lang.IllegalStateException: boom");
            for (int f = 0; f < 8; f++) lines.add("\tat com.foo.Bar.method" + f + "(Bar.java:" + f + ")");
            lines.add("\t... 12 more");
        }
        assertThat(detector.detect("app.log", lines).name()).isEqualTo("app");
    }

    @Test
    void userFormatsAreDetectedToo() {
        IngestSettings settings = new IngestSettings(65536, 2000, 200, 0.6, ZoneOffset.UTC, Map.of(), null,
                List.of(new IngestSettings.UserFormat("pipes", "(?<timestamp>[^|]+)\\|(?<level>\\w+)\\|(?<message>.*)", null, null)));
        FormatDetector withUser = new FormatDetector(new FormatRegistry(settings, Clock.systemUTC()), Map.of(), 0.6);
        assertThat(withUser.detect("x.log", List.of("2026-01-15T10:00:00Z|INFO|hello", "2026-01-15T10:00:01Z|WARN|hm")).name())
                .isEqualTo("pipes");
    }

    @Test
    void twoFormatsWrittenLineByLineIntoOneFileAreReadTogether() {
        // Gunicorn's error log: its own lines, its application's Python logging, and a hook's multi-line stack dumps
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add(String.format("2026-12-03 09:44:%02d,498 %s [orders] order %d placed by c-%d", i, i % 7 == 0 ? "WARNING" : "INFO", 12400 + i, 300 + i));
            if (i % 4 == 0) lines.add(String.format("[2026-12-03 09:44:%02d +0000] [%d] [INFO] Booting worker with pid: %d", i, 334 + i, 334 + i));
            if (i % 12 == 5) {
                lines.add(String.format("[2026-12-03 09:44:%02d +0000] [%d] [WARNING] ", i, 334 + i));
                lines.add("# Thread: MainThread(139661046612032)");
                for (int f = 0; f < 6; f++) lines.add("File: \"/usr/lib/python3.11/http/client.py\", line " + (1374 + f) + ", in getresponse");
            }
        }
        LogFormat both = detector.detect("gunicorn.log", lines);
        assertThat(both.name()).isEqualTo("app + inferred");
        assertThat(both.description()).isEqualTo("app + inferred: [<timestamp:ISO-8601>] [<thread>] [<level>] <message>");
        assertThat(both.parse(lines.get(1), "g", null).level()).isEqualTo(io.logwarden.event.Level.INFO);
        assertThat(both.parse(lines.get(1), "g", null).message()).isEqualTo("Booting worker with pid: 334");
        assertThat(both.parse(lines.get(0), "g", null).message()).endsWith("order 12400 placed by c-300");
        assertThat(both.foldsUntimedLines()).isTrue();

        // one format and lines of no format: not paired with anything
        List<String> noisy = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            noisy.add(String.format("2026-12-03 09:44:%02d,498 INFO [orders] order %d placed", i, 12400 + i));
            if (i % 3 == 0) noisy.add("free text " + i + " without a stamp or structure");
        }
        assertThat(detector.detect("app.log", noisy).name()).isEqualTo("app");
    }

    @Test
    void failsWithAClearMessageWhenNothingMatchesEnough() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 176; i++) lines.add("free text line number " + i + " with no structure");
        for (int i = 0; i < 24; i++) lines.add("Oct 11 22:14:" + (10 + i) + " host app[1]: hello");
        assertThatThrownBy(() -> detector.detect("app.txt", lines))
                .isInstanceOf(UnknownFormatException.class)
                .hasMessageStartingWith("no known format matches app.txt: best was syslog (12% of 200 sampled lines")
                .hasMessageContaining("tried docker-json, cri, json, logfmt, apache-access, nginx-access, apache-error, nginx-error, app, supervisor, haproxy, squid, vsftpd, xferlog, php, samba, uwsgi, nagios, klog, syslog")
                .hasMessageContaining("configure logwarden.ingest.formats")
                .satisfies(e -> {
                    UnknownFormatException u = (UnknownFormatException) e;
                    assertThat(u.bestFormat()).isEqualTo("syslog");
                    assertThat(u.bestShare()).isEqualTo(0.12);
                    assertThat(u.fileName()).isEqualTo("app.txt");
                });
        assertThatThrownBy(() -> detector.detect("notes.txt", List.of("hello", "world")))
                .isInstanceOf(UnknownFormatException.class).hasMessageContaining("no format matched any line");
    }

    @Test
    void fileNameOverridesWinAndUnknownNamesAreRejected() {
        assertThat(detector.override(Path.of("/data/inbox/shop.access.log"))).get().extracting(LogFormat::name).isEqualTo("nginx-access");
        assertThat(detector.override(Path.of("/data/inbox/shop.log"))).isEmpty();
        assertThatThrownBy(() -> new FormatDetector(registry, Map.of("*.log", "nginx"), 0.6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown log format 'nginx'").hasMessageContaining("nginx-access");
    }

    @Test
    void registryRejectsUserFormatsNamedLikeBuiltIns() {
        IngestSettings settings = new IngestSettings(65536, 2000, 200, 0.6, ZoneOffset.UTC, Map.of(), null,
                List.of(new IngestSettings.UserFormat("syslog", ".*", null, null)));
        assertThatThrownBy(() -> new FormatRegistry(settings, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("built-in");
        assertThat(registry.names()).containsExactly("docker-json", "cri", "json", "logfmt", "apache-access",
                "nginx-access", "apache-error", "nginx-error", "app", "supervisor", "haproxy", "squid", "vsftpd", "xferlog", "php", "samba", "uwsgi", "nagios", "klog", "syslog", "raw", "plain");
        assertThat(registry.get("raw").foldsContinuations()).isFalse();
    }

    private String detect(String file, String line) {
        return detector.detect(file, List.of(line, line, line)).name();
    }
}
