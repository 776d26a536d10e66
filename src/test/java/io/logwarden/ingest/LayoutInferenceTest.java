package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files in the header layouts of common systems, read with no configuration. Every line here is made up for the
 * test in the shape of its system's logs; none is copied from a public data set.
 */
class LayoutInferenceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private static final String[] LEVELS = {"INFO", "INFO", "WARN", "INFO", "ERROR", "DEBUG"};

    @TempDir
    Path dir;

    private final IngestSettings settings = IngestSettings.defaults();
    private final LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);

    @Test
    void hdfsDateTimePidLevelComponent() throws IOException {
        Read r = read("dn.log", 60, i -> String.format("260111 %02d%02d%02d %d %s store.BlockWriter$Acker: acked block b_%d of %d bytes",
                10 + i / 3600, (i / 60) % 60, i % 60, 40 + i % 9, LEVELS[i % LEVELS.length], 9000 + i * 7, 1024 * i));
        assertThat(r.format).isEqualTo("inferred: <timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>");
        LogEvent first = r.events.get(0);
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2026-01-11T10:00:00Z"));
        assertThat(first.level()).isEqualTo(Level.INFO);
        assertThat(first.service()).isEqualTo("store.BlockWriter$Acker");
        assertThat(first.attributes()).containsEntry("pid", "40");
        assertThat(first.message()).isEqualTo("acked block b_9000 of 0 bytes");
        assertThat(r.events.get(4).level()).isEqualTo(Level.ERROR);
        r.allTimed();
    }

    @Test
    void anAccessLogOfItsOwnLayoutReadsItsRequestsAndStatusesAndAFieldMoreOnSomeLines() throws IOException {
        // PHP-FPM's access.format "%R - %u %t \"%m %r\" %s %{mili}d %{kilo}M %C%% %n": the user only on some lines
        Read r = read("fpm.access.log", 40, i -> String.format("127.0.0.%d - %s 03/Dec/2026:09:%02d:%02d +0000 \"%s\" %d %.3f 2048 %.2f%%%% www",
                100 + i % 7, i % 10 == 4 ? "ops" : "", 33 + i / 60, i % 60,
                i % 5 == 2 ? "POST /checkout.php" : "GET /product.php?id=" + i, i % 9 == 8 ? 500 : 200, 12.5 + i, 0.5 * i));
        assertThat(r.format).isEqualTo("inferred: <field> <field> <timestamp:dd/MMM/yyyy:HH:mm:ss Z> <message>");
        r.allTimed();
        assertThat(r.events).hasSize(40);
        LogEvent first = r.events.get(0);
        assertThat(first.message()).isEqualTo("GET /product.php?id=0 200");
        assertThat(first.level()).isEqualTo(Level.INFO);
        assertThat(first.attributes()).containsEntry("method", "GET").containsEntry("path", "/product.php?id=0")
                .containsEntry("status", "200").containsEntry("client", "127.0.0.100").doesNotContainKey("protocol");
        assertThat(first.host()).isEqualTo("127.0.0.100");
        assertThat(r.events.get(4).timestamp()).isEqualTo(Instant.parse("2026-12-03T09:33:04Z")); // the line with a user
        assertThat(r.events.get(8).level()).isEqualTo(Level.ERROR);
        assertThat(r.events.get(8).message()).isEqualTo("GET /product.php?id=8 500");
        assertThat(r.events.get(2).message()).isEqualTo("POST /checkout.php 200");
    }

    @Test
    void aQuotedMessageThatIsNotARequestStaysAsWritten() throws IOException {
        Read r = read("app.log", 30, i -> String.format("2026-12-03 09:33:%02d 127.0.0.5 \"%s\" %d done", i,
                i % 2 == 0 ? "GETTING /a b" : i % 3 == 0 ? "GET /a HTTP/1.1" : "reload config", 200 + i));
        r.allTimed();
        assertThat(r.events.get(0).message()).isEqualTo("127.0.0.5 \"GETTING /a b\" 200 done");
        assertThat(r.events.get(1).message()).isEqualTo("127.0.0.5 \"reload config\" 201 done");
        assertThat(r.events.get(0).attributes()).doesNotContainKey("status").doesNotContainKey("client");
        // a client's address before the request (nginx's log_format '$time_iso8601 $remote_addr "$request" $status')
        assertThat(r.events.get(3).message()).isEqualTo("GET /a HTTP/1.1 203");
        assertThat(r.events.get(3).attributes()).containsEntry("client", "127.0.0.5").containsEntry("protocol", "HTTP/1.1");
        assertThat(LayoutFormat.isAddress("fe80::1")).isTrue();
        assertThat(LayoutFormat.isAddress("10.1.2.3")).isTrue();
        assertThat(LayoutFormat.isAddress("deadbeef")).isFalse();
        assertThat(LayoutFormat.isAddress("1.2.3")).isFalse();
        assertThat(LayoutFormat.isAddress("12:30:01")).isTrue(); // three numbers and colons look like IPv6; only
        // a field before a request's message is read, where a time would be the stamp
    }

    @Test
    void logcatMonthDayPidTidLetterLevelTag() throws IOException {
        Read r = read("logcat.txt", 50, i -> String.format("11-02 09:14:%02d.%03d  %4d  %5d %s %s: %s %d",
                i % 60, i * 7 % 1000, 2231, 2290 + i % 3 * 1000, "IDWEV".charAt(i % 5), i % 2 == 0 ? "ActivityManager" : "Sync",
                i % 2 == 0 ? "Start proc for service" : "sync finished in ms", i * 13));
        assertThat(r.format).isEqualTo("inferred: <timestamp:MM-dd HH:mm:ss.SSS> <pid> <tid> <level> <component>: <message>");
        assertThat(r.events.get(1).timestamp()).isEqualTo(Instant.parse("2026-11-02T09:14:01.007Z"));
        assertThat(r.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.DEBUG, Level.WARN, Level.ERROR, Level.DEBUG);
        assertThat(r.events.get(0).service()).isEqualTo("ActivityManager");
        assertThat(r.events.get(0).attributes()).containsEntry("pid", "2231").containsEntry("tid", "2290");
        r.allTimed();
    }

    @Test
    void bglEpochFirstThenDatesNodesAndLevelLater() throws IOException {
        Read r = read("ras.log", 40, i -> String.format("%s %d 2010.03.0%d R1%d-M0-N4-C:J0%d-U01 2010-03-0%d-07.%02d.%02d.%06d R1%d-M0-N4-C:J0%d-U01 RAS %s %s %s",
                i % 10 == 3 ? "KERNSTOR" : "-", 1267600000 + i * 61, 3 + i / 30, i % 8, i % 9, 3 + i / 30, i % 60, i % 60, i * 1111,
                i % 8, i % 9, i % 4 == 0 ? "APP" : "KERNEL", i % 10 == 3 ? "FATAL" : "INFO", "cache parity corrected " + i));
        assertThat(r.format).startsWith("inferred: <field> <timestamp:epoch-seconds> ").contains("<level>").endsWith("<message>");
        assertThat(r.events.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1267600000));
        assertThat(r.events.get(3).level()).isEqualTo(Level.FATAL);
        assertThat(r.events.get(0).level()).isEqualTo(Level.INFO);
        assertThat(r.events.get(0).message()).isEqualTo("cache parity corrected 0");
        r.allTimed();
    }

    @Test
    void healthAppPipes() throws IOException {
        Read r = read("health.log", 30, i -> String.format("20250301-06:%02d:%02d:%d|Step_%s|3000%04d|%s %d",
                i / 60, i % 60, i * 37 % 1000, i % 3 == 0 ? "LSC" : "SPUtils", 2312 + i % 2, i % 2 == 0 ? "onStandStepChanged" : "getTodaySteps", 300 + i));
        assertThat(r.format).isEqualTo("inferred: <timestamp:yyyyMMdd-HH:mm:ss:SSS>|<host>|<pid>|<message>");
        assertThat(r.events.get(1).timestamp()).isEqualTo(Instant.parse("2025-03-01T06:00:01.037Z"));
        assertThat(r.events.get(1).message()).isEqualTo("getTodaySteps 301");
        r.allTimed();
    }

    @Test
    void macSyslogWithPaddedDays() throws IOException {
        Read r = read("system.log", 40, i -> String.format("Jul %2d 09:%02d:%02d build-host-%d %s[%d]: %s",
                1 + i / 20 * 9, i % 60, i * 7 % 60, i % 3, i % 2 == 0 ? "kernel" : "com.example.Updater", i % 2 == 0 ? 0 : 431,
                i % 5 == 0 ? "ERROR: disk slow" : "state changed to " + i));
        assertThat(r.events.get(0).timestamp()).isEqualTo(Instant.parse("2026-07-01T09:00:00Z"));
        assertThat(r.events.get(39).timestamp()).isEqualTo(Instant.parse("2026-07-10T09:39:33Z"));
        assertThat(r.events.get(1).service()).isEqualTo("com.example.Updater");
        assertThat(r.events.get(0).level()).isEqualTo(Level.ERROR);
        r.allTimed();
    }

    @Test
    void thunderbirdEpochDateHostThenSyslog() throws IOException {
        Read r = read("tbird.log", 40, i -> String.format("- %d 2008.02.1%d cn%d Feb 1%d 03:%02d:%02d cn%d/cn%d %s: %s",
                1202960000 + i * 60, i / 30, 100 + i % 7, i / 30, i % 60, 0, 100 + i % 7, 100 + i % 7,
                i % 2 == 0 ? "crond[" + (2000 + i) + "]" : "kernel", i % 2 == 0 ? "(root) CMD (run-parts hourly)" : "eth1: link up"));
        assertThat(r.format).startsWith("inferred: <field> <timestamp:epoch-seconds> ").endsWith("<component>: <message>");
        assertThat(r.events.get(0).service()).isEqualTo("crond");
        assertThat(r.events.get(0).attributes()).containsEntry("pid", "2000");
        assertThat(r.events.get(1).message()).isEqualTo("eth1: link up");
        r.allTimed();
    }

    @Test
    void windowsCbsWithACommaAfterTheTime() throws IOException {
        Read r = read("CBS.log", 30, i -> String.format("2019-04-02 11:%02d:%02d, %-22s%-7s%s", i, i % 60,
                i % 10 == 9 ? "Error" : i % 5 == 2 ? "Warning" : "Info", i % 2 == 0 ? "CBS" : "CSI", "Session " + i + " initialized by client"));
        assertThat(r.format).isEqualTo("inferred: <timestamp:ISO-8601> , <level> <message>");
        assertThat(r.events.get(2).level()).isEqualTo(Level.WARN);
        assertThat(r.events.get(9).level()).isEqualTo(Level.ERROR);
        assertThat(r.events.get(0).message()).isEqualTo("CBS    Session 0 initialized by client");
        r.allTimed();
    }

    @Test
    void proxifierBracketedMonthDay() throws IOException {
        Read r = read("proxy.log", 30, i -> String.format("[03.14 10:%02d:%02d] %s - relay.example.net:%d %s",
                i, i * 3 % 60, i % 3 == 0 ? "browser.exe" : "mail.exe", 8000 + i, i % 2 == 0 ? "open through proxy relay.example.net:8000 HTTPS" : "close, 12 bytes sent"));
        assertThat(r.format).isEqualTo("inferred: [<timestamp:MM.dd HH:mm:ss>] <host> - <message>");
        assertThat(r.events.get(1).timestamp()).isEqualTo(Instant.parse("2026-03-14T10:01:03Z"));
        r.allTimed();
    }

    @Test
    void sparkShortSlashedDate() throws IOException {
        Read r = read("spark.log", 30, i -> String.format("24/06/09 20:10:%02d %s storage.BlockManager: Told master about block %d",
                i, LEVELS[i % LEVELS.length], i));
        assertThat(r.format).isEqualTo("inferred: <timestamp:yy/MM/dd HH:mm:ss> <level> <component>: <message>");
        assertThat(r.events.get(0).timestamp()).isEqualTo(Instant.parse("2024-06-09T20:10:00Z"));
        r.allTimed();
    }

    @Test
    void openStackFileNameBeforeTheTimeAndContextInBrackets() throws IOException {
        Read r = read("nova.log", 30, i -> String.format("api.log.1.2021-05-16_13:53:08 2021-05-16 00:%02d:%02d.%03d %d %s compute.api.server [req-%04x-aa admin] 10.0.0.%d \"GET /v2/servers HTTP/1.1\" status: 200",
                i, i % 60, i * 11, 25746, i % 7 == 3 ? "WARNING" : "INFO", i, i));
        assertThat(r.format).isEqualTo("inferred: <field> <timestamp:ISO-8601> <pid> <level> <logger> [<thread>] <message>");
        LogEvent e = r.events.get(3);
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.service()).isEqualTo("compute.api.server");
        assertThat(e.attributes()).containsEntry("thread", "req-0003-aa admin").containsEntry("field1", "api.log.1.2021-05-16_13:53:08");
        assertThat(e.message()).startsWith("10.0.0.3 \"GET");
        r.allTimed();
    }

    @Test
    void hpcEpochInTheFifthField() throws IOException {
        Read r = read("hpc.log", 30, i -> String.format("%d node-%d unix.hw state_change.%s %d 1 Component %s changed state",
                400000 + i * 17, 100 + i % 40, i % 2 == 0 ? "unavailable" : "available", 1084680000 + i * 30, i % 3 == 0 ? "alt0" : "fan" + i));
        assertThat(r.format).isEqualTo("inferred: <field> <field> <field> <field> <timestamp:epoch-seconds> <pid> <message>");
        assertThat(r.events.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1084680000));
        assertThat(r.events.get(0).message()).isEqualTo("Component alt0 changed state");
        r.allTimed();
    }

    @Test
    void aThreadPaddedInItsBracketsIsReadTrimmedAndPidsAndFieldsAsWritten() throws IOException {
        Read r = read("padded.log", 20, i -> String.format("2011-02-03-04.05.%02d.123456 [  tx%d ] ERROR lock timeout", i, i));
        assertThat(r.format).isEqualTo("inferred: <timestamp:yyyy-MM-dd-HH.mm.ss.SSSSSS> [<thread>] <level> <message>");
        assertThat(r.events.get(1).attributes()).containsEntry("thread", "tx1");
        assertThat(r.events.get(1).message()).isEqualTo("lock timeout");
        r.allTimed();
    }

    @Test
    void epochMillisAndDashedAndDottedAndDayFirstStamps() throws IOException {
        Read millis = read("ms.log", 20, i -> (1700000000000L + i * 250L) + " WARN queue depth " + i);
        assertThat(millis.format).isEqualTo("inferred: <timestamp:epoch-millis> <level> <message>");
        assertThat(millis.events.get(1).timestamp()).isEqualTo(Instant.ofEpochMilli(1700000000250L));
        Read dashed = read("db2.log", 20, i -> String.format("2011-02-03-04.05.%02d.123456 [tx%d] ERROR lock timeout", i, i));
        assertThat(dashed.events.get(0).timestamp()).isEqualTo(Instant.parse("2011-02-03T04:05:00.123456Z"));
        assertThat(dashed.format).isEqualTo("inferred: <timestamp:yyyy-MM-dd-HH.mm.ss.SSSSSS> [<thread>] <level> <message>");
        Read dotted = read("dots.log", 20, i -> String.format("2012.12.21 23:59:%02d worker-%d | done %d", i, i % 3, i));
        assertThat(dotted.events.get(0).timestamp()).isEqualTo(Instant.parse("2012-12-21T23:59:00Z"));
        Read dayFirst = read("eu.log", 20, i -> String.format("15.01.2026 10:00:%02d,5 INFO: job %d", i, i));
        assertThat(dayFirst.events.get(0).timestamp()).isEqualTo(Instant.parse("2026-01-15T10:00:00.5Z"));
        Stream.of(millis, dashed, dotted, dayFirst).forEach(Read::allTimed);
    }

    @Test
    void mariaDbIsoDateWithTheHourPaddedByASpaceAndNoteLevels() throws IOException {
        // MariaDB's error log pads a one-digit hour with a space: "2026-12-02  2:00:46" (two spaces), "10:00:46" later
        String[] kinds = {"Note", "Warning", "Note", "ERROR"};
        Read r = read("mariadb.err", 40, i -> String.format("2026-12-02 %2d:%02d:%02d %d [%s] %s", 2 + i / 5, i % 60, i % 60,
                i % 7, kinds[i % kinds.length], i % 2 == 0 ? "InnoDB: Buffer pool(s) load completed" : "Aborted connection " + i));
        assertThat(r.format).isEqualTo("inferred: <timestamp:ISO-8601> <pid> [<level>] <message>");
        assertThat(r.events.get(0).timestamp()).isEqualTo(Instant.parse("2026-12-02T02:00:00Z"));
        assertThat(r.events.get(39).timestamp()).isEqualTo(Instant.parse("2026-12-02T09:39:39Z"));
        assertThat(r.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.WARN, Level.INFO, Level.ERROR);
        assertThat(r.events.get(0).message()).isEqualTo("InnoDB: Buffer pool(s) load completed");
        r.allTimed();
        // the padded hour is read only after a date and a space: a lone digit elsewhere is no hour
        assertThat(new TimestampParser(ZoneOffset.UTC, CLOCK).iso("2026-12-02  2:00:46", 0, 19))
                .isEqualTo(Instant.parse("2026-12-02T02:00:46Z"));
        assertThat(TimestampParser.isoEnd("2026-12-02  x:00:46", 0)).isEqualTo(-1);
        assertThat(TimestampParser.isoEnd("2026-12-02   2:00:46", 0)).isEqualTo(-1);
    }

    @Test
    void icecastDateAndTimeTwoSpacesApartInBrackets() throws IOException {
        // Icecast's error log: "[%Y-%m-%d  %H:%M:%S] LEVEL module/function message", date and time two spaces apart
        String[] levels = {"INFO", "INFO", "WARN", "EROR"};
        Read r = read("error.log", 40, i -> String.format("[2026-12-03  %02d:%02d:%02d] %s source/source_main listener count on /%s.mp3 now %d",
                10 + i / 20, i % 60, i % 60, levels[i % levels.length], i % 2 == 0 ? "jazz" : "talk", i));
        assertThat(r.format).startsWith("inferred: [<timestamp:ISO-8601>] <level>");
        assertThat(r.events.get(0).timestamp()).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
        assertThat(r.events.get(39).timestamp()).isEqualTo(Instant.parse("2026-12-03T11:39:39Z"));
        assertThat(r.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.INFO, Level.WARN, Level.ERROR);
        r.allTimed();
        assertThat(TimestampParser.isoEnd("2026-12-03  20:14:57] INFO", 0)).isEqualTo(20);
        assertThat(TimestampParser.isoEnd("2026-12-03  20:1x:57", 0)).isEqualTo(-1);
        assertThat(new TimestampParser(ZoneOffset.UTC, CLOCK).iso("2026-12-03  20:14:57", 0, 20))
                .isEqualTo(Instant.parse("2026-12-03T20:14:57Z"));
    }

    @Test
    void redisPidRoleDayMonthNameStampAndLevelMarks() throws IOException {
        // Redis: "<pid>:<role> dd Mon yyyy HH:mm:ss.SSS <mark> message", the marks . debug, - verbose, * notice, # warning
        String marks = "**#*-.";
        Read r = read("redis.log", 30, i -> String.format("%d:%s %02d Dec 2026 02:%02d:%02d.%03d %s %s", 4477 + i % 2 * 250,
                i % 2 == 0 ? "M" : "C", 2, i / 60, i % 60, i * 37 % 1000, marks.charAt(i % marks.length()),
                i % 3 == 0 ? "Background saving error" : "DB saved on disk"));
        assertThat(r.format).isEqualTo("inferred: <field> <timestamp:dd MMM yyyy HH:mm:ss> <level> <message>");
        assertThat(r.events.get(1).timestamp()).isEqualTo(Instant.parse("2026-12-02T02:00:01.037Z"));
        assertThat(r.events).extracting(LogEvent::level)
                .startsWith(Level.INFO, Level.INFO, Level.WARN, Level.INFO, Level.DEBUG, Level.DEBUG);
        assertThat(r.events.get(2).message()).isEqualTo("DB saved on disk");
        r.allTimed();
        // log4j's %d{DATE}: a comma before the milliseconds, a day of one digit
        Read log4j = read("app.log", 20, i -> String.format("%d Jan 2026 10:00:%02d,250 [main] INFO  app.Job - run %d", 5, i, i));
        assertThat(log4j.events.get(3).timestamp()).isEqualTo(Instant.parse("2026-01-05T10:00:03.250Z"));
        assertThat(log4j.events.get(3).level()).isEqualTo(Level.INFO);
        log4j.allTimed();
    }

    @Test
    void tomcatJuliAndJavaUtilLoggingStamps() throws IOException {
        String[] levels = {"INFO", "WARNING", "INFO", "SEVERE"};
        Read tomcat = read("catalina.out", 30, i -> String.format("02-Dec-2026 03:44:%02d.%03d %s [main] org.apache.catalina.startup.Catalina.start"
                + " Server startup in [%d] milliseconds", i, i * 7, levels[i % 4], 1000 + i));
        // the logger and its method, unbracketed after the thread, are the service, not the message's first word
        assertThat(tomcat.format).isEqualTo("inferred: <timestamp:dd-MMM-yyyy HH:mm:ss> <level> [<thread>] <logger> <message>");
        assertThat(tomcat.events.get(1).timestamp()).isEqualTo(Instant.parse("2026-12-02T03:44:01.007Z"));
        assertThat(tomcat.events.get(1).service()).isEqualTo("org.apache.catalina.startup.Catalina.start");
        assertThat(tomcat.events.get(1).message()).isEqualTo("Server startup in [1001] milliseconds");
        assertThat(tomcat.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.WARN, Level.INFO, Level.ERROR);
        tomcat.allTimed();
        // SimpleFormatter: the stamp and the logger, then the level and the message on the next line
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(String.format("Dec 2, 2026 %d:%02d:%02d %s org.acme.Sync run", i < 10 ? 11 : 12, i, i, i < 10 ? "AM" : "PM"));
            lines.add(levels[i % 4] + ": batch " + i + " synced");
            if (i == 7) lines.addAll(List.of("java.lang.IllegalStateException: stuck", "\tat org.acme.Sync.run(Sync.java:12)"));
        }
        Read jul = readLines("jul.log", lines);
        assertThat(jul.format).isEqualTo("inferred: <timestamp:MMM dd, yyyy h:mm:ss a> <message>");
        assertThat(jul.events).hasSize(20);
        assertThat(jul.events.get(0).timestamp()).isEqualTo(Instant.parse("2026-12-02T11:00:00Z"));
        assertThat(jul.events.get(10).timestamp()).isEqualTo(Instant.parse("2026-12-02T12:10:10Z")); // 12 PM is noon
        // the message is what follows the level word; the logger and its method are the service
        assertThat(jul.events.get(3).message()).isEqualTo("batch 3 synced");
        assertThat(jul.events.get(3).service()).isEqualTo("org.acme.Sync run");
        assertThat(jul.events.get(7).message()).isEqualTo("batch 7 synced\njava.lang.IllegalStateException: stuck\n\tat org.acme.Sync.run(Sync.java:12)");
        assertThat(jul.events.get(3).raw()).isEqualTo("Dec 2, 2026 11:03:03 AM org.acme.Sync run\nSEVERE: batch 3 synced");
        assertThat(jul.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.WARN, Level.INFO, Level.ERROR);
    }

    @Test
    void cassandraLevelAndThreadBeforeTheStampAndElasticsearchAdjacentBrackets() throws IOException {
        String[] levels = {"INFO", "WARN", "INFO", "ERROR"};
        // Cassandra's logback: "%-5level [%thread] %date{ISO8601} %F:%L - %msg"
        Read cassandra = read("system.log", 30, i -> String.format("%-5s [%s] 2026-12-02 03:44:%02d,%03d %s - Compacted %d sstables",
                levels[i % 4], i % 2 == 0 ? "CompactionExecutor:4" : "main", i, i * 7, i % 3 == 0 ? "CompactionTask.java:241"
                        : "GCInspector.java:284", i));
        assertThat(cassandra.format).isEqualTo("inferred: <level> [<thread>] <timestamp:ISO-8601> <logger> - <message>");
        assertThat(cassandra.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.WARN, Level.INFO, Level.ERROR);
        assertThat(cassandra.events.get(0).service()).isEqualTo("CompactionTask.java:241");
        assertThat(cassandra.events.get(0).attributes()).containsEntry("thread", "CompactionExecutor:4");
        assertThat(cassandra.events.get(1).message()).isEqualTo("Compacted 1 sstables");
        cassandra.allTimed();
        // Elasticsearch's log4j2: "[%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m", brackets side by side
        String[] messages = {"shard [%d] started", "high disk watermark [90%%] exceeded on node %d", "started %d"};
        Read es = read("es.log", 30, i -> String.format("[2026-12-02T03:44:%02d,%03d][%-5s][%-25s] [node-1] " + messages[i % 3],
                i, i * 7, levels[i % 4], i % 2 == 0 ? "o.e.c.r.a.DiskThresholdMonitor" : "o.e.n.Node", i));
        assertThat(es.format).isEqualTo("inferred: [<timestamp:ISO-8601>] [<level>] [<logger>] [<thread>] <message>");
        assertThat(es.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.WARN, Level.INFO, Level.ERROR);
        assertThat(es.events).extracting(LogEvent::service).startsWith("o.e.c.r.a.DiskThresholdMonitor", "o.e.n.Node");
        assertThat(es.events.get(3).message()).isEqualTo("shard [3] started");
        es.allTimed();
    }

    @Test
    void openStacksThreadAfterItsLoggerAHostIsNoLoggerAndMosquittosEpochSeconds() throws IOException {
        String[] levels = {"INFO", "WARNING", "INFO", "SEVERE"};
        // OpenStack's oslo.log: the logger, then the request in brackets
        Read nova = read("nova.log", 30, i -> String.format("2017-05-16 00:00:%02d.%03d 25746 %s nova.osapi_compute.wsgi.server"
                + " [req-%d admin] 10.11.10.1 \"GET /v2/servers HTTP/1.1\" status: 200", i, i * 7, levels[i % 4], i));
        assertThat(nova.format).isEqualTo("inferred: <timestamp:ISO-8601> <pid> <level> <logger> [<thread>] <message>");
        assertThat(nova.events.get(2).message()).startsWith("10.11.10.1 ");
        // a dotted name with no level before it is no logger: a host
        Read hosts = read("hosts.log", 30, i -> String.format("2026-12-02 13:23:%02d web-%d.dc1.example.com sshd accepted key %d", i, i % 3, i));
        assertThat(hosts.format).doesNotContain("<logger>");
        // Mosquitto's default: epoch seconds and a colon
        Read mqtt = read("mosquitto.log", 30, i -> String.format("%d: New connection from 127.0.0.%d:4%04d on port 1883.",
                1764676800 + i, i, i));
        assertThat(mqtt.format).isEqualTo("inferred: <timestamp:epoch-seconds> : <message>");
        assertThat(mqtt.events.get(0).timestamp()).isEqualTo(java.time.Instant.parse("2025-12-02T12:00:00Z"));
        assertThat(mqtt.events.get(1).message()).isEqualTo("New connection from 127.0.0.1:40001 on port 1883.");
        mqtt.allTimed();
    }

    @Test
    void aClientAddressAfterTheLevelIsTheMessagesNotALogger() throws IOException {
        // NATS: most lines name the client they are about, then its connection id and name, between dashes
        Read nats = read("nats.log", 40, i -> i % 5 == 0
                ? String.format("[4211] 2026/12/03 15:17:%02d.%06d [INF] Reloaded: max_payload = %d", i, i * 31, 262144 + i)
                : String.format("[4211] 2026/12/03 15:17:%02d.%06d [ERR] 127.0.0.%d:4%04d - cid:%d - \"v1.4.2:python3:billing-%d\""
                        + " - authentication error - User \"billing\"", i, i * 31, 30 + i % 3, i, 80 + i, i % 3));
        assertThat(nats.format).isEqualTo("inferred: [<thread>] <timestamp:ISO-8601> [<level>] <message>");
        assertThat(nats.events.get(1).message()).startsWith("127.0.0.31:40001 - cid:81 - ");
        assertThat(nats.events.get(1).level()).isEqualTo(Level.ERROR);
        assertThat(nats.events.get(0).message()).isEqualTo("Reloaded: max_payload = 262144");
        nats.allTimed();
    }

    @Test
    void levelsWrittenWithAColonOrAsAComponentAndGunicornsSpacedOffset() throws IOException {
        String[] levels = {"INFO", "INFO", "ERROR", "WARNING"};
        // Go's log package with a level prefix: "ERROR:" is the level, not a component
        Read go = read("go.log", 30, i -> String.format("2026/12/02 13:00:%02d %s: request %d served", i, levels[i % 4], i));
        assertThat(go.format).isEqualTo("inferred: <timestamp:ISO-8601> <level> <message>");
        assertThat(go.events.get(2).level()).isEqualTo(Level.ERROR);
        assertThat(go.events.get(3).level()).isEqualTo(Level.WARN);
        assertThat(go.events.get(2).message()).isEqualTo("request 2 served");
        // FreeRADIUS: "Auth:" names what the line is about; "Error:" where another line's component stands is its level
        String[] types = {"Auth", "Auth", "Info", "Error"};
        Read radius = read("radius.log", 30, i -> String.format("Wed Dec  2 13:00:%02d 2026 : %s: (%d) Login OK: [user%d]",
                i, types[i % 4], i, i));
        assertThat(radius.format).isEqualTo("inferred: <timestamp:EEE MMM dd HH:mm:ss yyyy> : <component>: <message>");
        assertThat(radius.events.get(0).service()).isEqualTo("Auth");
        assertThat(radius.events.get(3).level()).isEqualTo(Level.ERROR);
        assertThat(radius.events.get(3).service()).isNull();
        assertThat(radius.events.get(2).level()).isEqualTo(Level.INFO);
        // PgBouncer: LOG is its information level, and a component that is a memory address names a connection
        String[] bouncer = {"LOG", "LOG", "WARNING", "ERROR"};
        Read pgb = read("pgbouncer.log", 30, i -> String.format("2026-12-02 16:20:%02d.209 UTC [28461] %s C-0x558f81ed%04x:"
                + " shop/shop_web@127.0.0.%d:4%04d login attempt: db=shop user=shop_web tls=no", i, bouncer[i % 4], i % 5, 10 + i, i));
        assertThat(pgb.format).isEqualTo("inferred: <timestamp:ISO-8601> [<thread>] <level> <component>: <message>");
        assertThat(pgb.events.get(0).level()).isEqualTo(Level.INFO);
        assertThat(pgb.events.get(3).level()).isEqualTo(Level.ERROR);
        assertThat(pgb.events.get(1).service()).isNull();
        assertThat(pgb.events.get(1).attributes()).containsEntry("object", "C-0x558f81ed0001");
        assertThat(pgb.events.get(1).message()).startsWith("shop/shop_web@127.0.0.11:");
        // MySQL 8's error log: [System] is its information level
        String[] mysql = {"System", "System", "Warning", "ERROR"};
        Read my = read("mysqld.log", 30, i -> String.format("2026-12-02T13:00:%02d.123456Z %d [%s] [MY-0%05d] [Server] event %d",
                i, i % 3, mysql[i % 4], 10000 + i, i));
        assertThat(my.format).contains("[<level>]");
        assertThat(my.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.INFO, Level.WARN, Level.ERROR);
        // gunicorn (Python's "%Y-%m-%d %H:%M:%S %z" in brackets): the offset after a space is the stamp's
        Read gunicorn = read("gunicorn.log", 30, i -> String.format("[2026-12-02 13:00:%02d +0100] [%d] [%s] Booting worker with pid: %d",
                i, 1234 + i % 3, levels[i % 4], 2000 + i));
        assertThat(gunicorn.format).isEqualTo("inferred: [<timestamp:ISO-8601>] [<thread>] [<level>] <message>");
        assertThat(gunicorn.events.get(0).timestamp()).isEqualTo(Instant.parse("2026-12-02T12:00:00Z"));
        gunicorn.allTimed();
        // Ruby's Logger and Celery: the bracket holds more after its stamp (a pid; the level and the process)
        String[] letters = {"I", "I", "E", "W"};
        Read ruby = read("production.log", 30, i -> String.format("%s, [2026-12-02T13:00:%02d.123456 #4321] %5s -- : Completed 200 OK in %d ms",
                letters[i % 4], i, levels[i % 4], 10 + i));
        assertThat(ruby.format).isEqualTo("inferred: <field> [<timestamp:ISO-8601>] <level> -- : <message>");
        assertThat(ruby.events.get(2).level()).isEqualTo(Level.ERROR);
        assertThat(ruby.events.get(2).message()).isEqualTo("Completed 200 OK in 12 ms");
        ruby.allTimed();
        Read celery = read("celery.log", 30, i -> String.format("[2026-12-02 13:00:%02d,123: %s/MainProcess] Task shop.tasks.send_mail[%d] succeeded",
                i, levels[i % 4], i));
        assertThat(celery.format).isEqualTo("inferred: [<timestamp:ISO-8601>] <message>");
        assertThat(celery.events.get(2).level()).isEqualTo(Level.ERROR);
        assertThat(celery.events.get(3).level()).isEqualTo(Level.WARN);
        assertThat(celery.events.get(0).message()).isEqualTo("Task shop.tasks.send_mail[0] succeeded");
        celery.allTimed();
        // Prosody: after a syslog-style stamp, the session or module, its level and the message, tab-separated
        String[] prosody = {"info", "info", "warn", "error"};
        Read xmpp = read("prosody.log", 30, i -> String.format("Dec 02 13:00:%02d c2s55d4a8f%d\t%s\tClient connected from 127.0.0.%d",
                i, i % 7, prosody[i % 4], 10 + i));
        assertThat(xmpp.format).isEqualTo("inferred: <timestamp:MMM dd HH:mm:ss> <logger> <level> <message>");
        assertThat(xmpp.events.get(1).service()).isEqualTo("c2s55d4a8f1");
        assertThat(xmpp.events.get(1).host()).isNull();
        assertThat(xmpp.events.get(3).level()).isEqualTo(Level.ERROR);
        assertThat(xmpp.events.get(2).level()).isEqualTo(Level.WARN);
        assertThat(xmpp.events.get(1).message()).isEqualTo("Client connected from 127.0.0.11");
        xmpp.allTimed();
        // etcd 3.4's capnslog: a level letter of T D I N W E C, a bar, the package
        String[] capnslog = {"I", "N", "W", "E", "N", "C"};
        Read etcd = read("etcd.log", 30, i -> String.format("2026-12-02 19:55:%02d.553664 %s | rafthttp: peer %d became active",
                i, capnslog[i % 6], i));
        assertThat(etcd.format).isEqualTo("inferred: <timestamp:ISO-8601> <level> | <component>: <message>");
        assertThat(etcd.events).extracting(LogEvent::level).startsWith(Level.INFO, Level.INFO, Level.WARN, Level.ERROR,
                Level.INFO, Level.FATAL);
        assertThat(etcd.events.get(0).service()).isEqualTo("rafthttp");
        // Unbound's own log file: epoch seconds in brackets, the program with its process and thread, no colon
        String[] unbound = {"info", "notice", "error", "warning"};
        Read dns = read("unbound.log", 30, i -> String.format("[17962410%02d] unbound[2323%d:%d] %s: resolving <a%d.example. A IN>",
                i, i % 3, i % 2, unbound[i % 4], i));
        assertThat(dns.format).isEqualTo("inferred: [<timestamp:epoch-seconds>] <program> <level> <message>");
        assertThat(dns.events.get(2).level()).isEqualTo(Level.ERROR);
        assertThat(dns.events.get(1).service()).isEqualTo("unbound");
        assertThat(dns.events.get(1).host()).isNull();
        assertThat(dns.events.get(1).attributes()).containsEntry("pid", "23231").containsEntry("tid", "1");
        assertThat(dns.events.get(1).message()).isEqualTo("resolving <a1.example. A IN>");
    }

    @Test
    void aLevelLineIsFoldedOnlyAfterAnEventNotInAPlainFile() throws IOException {
        // java.util.logging's "WARNING: …" second line continues its stamp line; in a text file without stamps the
        // same words are events of their own
        Read plain = readLines("notes.txt", List.of("WARNING: disk almost full", "starting job 1",
                "WARNING: disk almost full", "INFO: done"));
        assertThat(plain.events).extracting(LogEvent::message)
                .containsExactly("WARNING: disk almost full", "starting job 1", "WARNING: disk almost full", "INFO: done");
    }

    @Test
    void aFloodOfOneMessageDoesNotMakeItsWordsAHeader() throws IOException {
        // lighttpd's error log during a password-guessing attack: 220 lines of one message among 40 of other kinds
        String[] others = {"(server.c.1704) server started (lighttpd/1.4.69)", "(server.c.1057) [note] graceful shutdown started",
                "(gw_backend.c.2708) read timeout on socket: tcp:127.0.0.1:20212 (fd: 23)",
                "(gw_backend.c.960) all handlers for /api/stock?sku=FS-01008 on /api/ are down.",
                "(configfile.c.1289) WARNING: unknown config-key: proxy.server (ignored)"};
        String[] users = {"admin", "root", "info", "test", "sales"};
        Read r = read("error.log", 260, i -> String.format("2026-12-03 17:%02d:%02d: %s", i / 60, i % 60, i < 40
                ? others[i % others.length]
                : "(mod_auth.c.850) password doesn't match for /admin/ username: " + users[i % 5] + " IP: 127.0.0.87"));
        assertThat(r.format).isEqualTo("inferred: <timestamp:ISO-8601> : <message>");
        assertThat(r.events).hasSize(260);
        assertThat(r.events.get(45).message())
                .isEqualTo("(mod_auth.c.850) password doesn't match for /admin/ username: admin IP: 127.0.0.87");
        r.allTimed();
    }

    @Test
    void multiLineMessagesFoldAndAreCounted() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(String.format("240101 1200%02d 7 INFO svc.Query: plan for q%d:", i, i));
            if (i % 5 == 0) {
                lines.add("SELECT *");
                lines.add("FROM t");
            }
        }
        Read r = readLines("q.log", lines);
        assertThat(r.events).hasSize(20);
        assertThat(r.events.get(0).message()).isEqualTo("plan for q0:\nSELECT *\nFROM t");
        assertThat(r.summary.warnings()).contains("8 lines without a timestamp between timed ones, folded into the event before them (first: line 2)");
    }

    @Test
    void layoutsRoundTripAndCanBePinnedInConfiguration() throws IOException {
        for (String text : List.of(
                "<timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>",
                "<field> <timestamp:epoch-seconds> <host> <component>: <message>",
                "[<timestamp:EEE MMM dd HH:mm:ss yyyy>] [<level>] <message>",
                "<timestamp:yyyyMMdd-HH:mm:ss:SSS>|<host>|<pid>|<message>",
                "<timestamp:ISO-8601> - <level> [<thread>] - <message>",
                "<level> [<thread>] <field> <timestamp:ISO-8601> <logger> - <message>",
                "[<timestamp:ISO-8601>] [<level>] [<logger>] [<thread>] <message>")) {
            assertThat(Layout.parse(text).toString()).isEqualTo(text);
        }
        assertThatThrownBy(() -> Layout.parse("<date> <message>")).hasMessageContaining("no <timestamp:PATTERN>");
        assertThatThrownBy(() -> Layout.parse("<timestamp:dd/MM> <message>")).hasMessageContaining("unknown timestamp pattern 'dd/MM'")
                .hasMessageContaining("yyMMdd HHmmss");
        assertThatThrownBy(() -> Layout.parse("<timestamp:ISO-8601> <colour> <message>")).hasMessageContaining("unknown field <colour>");
        assertThatThrownBy(() -> Layout.parse("<pid> <timestamp:ISO-8601> <message>"))
                .hasMessageContaining("before the timestamp only <field>, <level> and [<thread>] are allowed, not '<pid>'");

        IngestSettings pinned = new IngestSettings(65536, 2000, 200, 0.6, ZoneOffset.UTC, Map.of("*.dn", "datanode"), null,
                List.of(new IngestSettings.UserFormat("datanode", null, null, "<timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>")));
        LogFileReader pinnedReader = new LogFileReader(pinned, new FormatRegistry(pinned, CLOCK), CLOCK);
        Path file = dir.resolve("x.dn");
        Files.writeString(file, "260101 000000 1 INFO a.B: hello\n260101 000001 1 ERROR a.B: bye\n");
        try (EventBatches batches = pinnedReader.open(file, "x")) {
            assertThat(batches.format().description()).isEqualTo("datanode: <timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>");
            List<LogEvent> events = new ArrayList<>();
            batches.forEachRemaining(events::addAll);
            assertThat(events).extracting(LogEvent::level).containsExactly(Level.INFO, Level.ERROR);
        }
        assertThatThrownBy(() -> new IngestSettings.UserFormat("both", "x", null, "<timestamp:ISO-8601> <message>"))
                .hasMessageContaining("either a regex or a layout");
    }

    @Test
    void cutAndOddLinesNeverThrow() {
        TimestampParser timestamps = new TimestampParser(ZoneOffset.UTC, CLOCK);
        List<String> layouts = List.of(
                "<timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>",
                "<field> <timestamp:ISO-8601> <pid> <level> <logger> [<thread>] <message>",
                "[<timestamp:EEE MMM dd HH:mm:ss yyyy>] [<level>] <message>",
                "<timestamp:yyyyMMdd-HH:mm:ss:SSS>|[<thread>]|<pid>|<message>",
                "<timestamp:MM-dd HH:mm:ss.SSS> <pid> <tid> <level> <component>: <message>",
                "<level> [<thread>] <timestamp:ISO-8601> <logger> - <message>",
                "[<timestamp:ISO-8601>] [<level>] [<logger>] [<thread>] <message>");
        List<String> lines = List.of(
                "260111 100000 40 INFO a.B$C: done", "x 2021-05-16 00:00:01.551 25746 INFO n.s [req-1 [x]] GET",
                "[Sun Dec 04 04:47:44 2005] [core:error] boom", "20171223-22:15:29:606||30002312|", "20171223-22:15:29:606|[|1|m",
                "11-02 09:14:03.125  2231  2290 I Tag: x", "INFO  [main] 2026-12-02 03:44:01,007 A.java:2 - x",
                "[2026-12-02T03:44:01,007][INFO ][o.e.n.Node ] [n] x", "[[[[", "]]]] :: -- ||", "\u0000\t\t");
        for (String text : layouts) {
            LayoutFormat format = new LayoutFormat("t", Layout.parse(text), false, timestamps);
            for (String line : lines) {
                for (int cut = 0; cut <= line.length(); cut++) {
                    String part = line.substring(0, cut);
                    format.parse(part, "s", null);
                    format.parse(part.replace(' ', '|'), "s", null);
                    format.parse(part.replace(' ', '['), "s", null);
                }
            }
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private record Read(String format, List<LogEvent> events, ReadSummary summary) {
        void allTimed() {
            assertThat(events).allSatisfy(e -> assertThat(e.timestamp()).as(e.raw()).isNotNull());
            assertThat(events).noneSatisfy(e -> assertThat(e.attributes()).containsKey("parse.error"));
        }
    }

    private Read read(String name, int n, IntFunction<String> line) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) lines.add(line.apply(i));
        return readLines(name, lines);
    }

    private Read readLines(String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);
        try (EventBatches batches = reader.open(file, name)) {
            List<LogEvent> events = new ArrayList<>();
            batches.forEachRemaining(events::addAll);
            assertThat(events).hasSizeLessThanOrEqualTo(lines.size());
            return new Read(batches.summary().format(), events, batches.summary());
        }
    }

    private static final class Stream {
        static java.util.stream.Stream<Read> of(Read... reads) {
            return java.util.stream.Stream.of(reads);
        }
    }
}
