package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PHP-FPM 8.2's error and slow logs and PHP's own error log, lines made up in the forms they write. */
class PhpFormatTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC);
    private final LogFormat php = new PhpFormat(new TimestampParser(ZoneOffset.UTC, CLOCK));
    private final SourceRef ref = SourceRef.fileLine("php-fpm.log", 3);

    @TempDir
    Path dir;

    @Test
    void thePoolIsTheServiceAndAWorkersPhpMessageIsUnwrappedWithItsLevel() {
        LogEvent parse = php.parse("[03-Dec-2026 09:38:29] WARNING: [pool www] child 30155 said into stderr: \"NOTICE: PHP message:"
                + " PHP Parse error:  syntax error, unexpected token \"<<\" in /srv/shop/lib/cart.php on line 12\"", "fpm", ref);
        assertThat(parse.timestamp()).isEqualTo(Instant.parse("2026-12-03T09:38:29Z"));
        assertThat(parse.service()).isEqualTo("www");
        assertThat(parse.level()).isEqualTo(Level.ERROR);
        assertThat(parse.message()).isEqualTo("PHP Parse error:  syntax error, unexpected token \"<<\" in /srv/shop/lib/cart.php on line 12");
        assertThat(parse.attributes()).containsEntry("pid", "30155").doesNotContainKey("pool");

        LogEvent notice = php.parse("[03-Dec-2026 09:33:17] WARNING: [pool www] child 26970 said into stderr: \"NOTICE: PHP message:"
                + " PHP Deprecated:  Function strftime() is deprecated in /srv/admin/report.php on line 8\"", "fpm", ref);
        assertThat(notice.level()).isEqualTo(Level.INFO);
        // an application's error_log() line: FPM's warning, the words its own
        LogEvent app = php.parse("[03-Dec-2026 09:34:12] WARNING: [pool api] child 27622 said into stderr: \"NOTICE: PHP message:"
                + " api: rejected expired API key of partner-globex from 127.0.0.81\"", "fpm", ref);
        assertThat(app.level()).isEqualTo(Level.WARN);
        assertThat(app.service()).isEqualTo("api");
        assertThat(app.message()).isEqualTo("api: rejected expired API key of partner-globex from 127.0.0.81");
    }

    @Test
    void fpmsOwnLinesKeepTheirLevelAndASlowRequestNamesItsPath() {
        LogEvent busy = php.parse("[03-Dec-2026 09:34:38] WARNING: [pool www] server reached pm.max_children setting (12),"
                + " consider raising it", "fpm", ref);
        assertThat(busy.level()).isEqualTo(Level.WARN);
        assertThat(busy.service()).isEqualTo("www");
        assertThat(busy.message()).isEqualTo("server reached pm.max_children setting (12), consider raising it");
        LogEvent master = php.parse("[03-Dec-2026 09:33:57] NOTICE: Reloading in progress ...", "fpm", ref);
        assertThat(master.level()).isEqualTo(Level.INFO);
        assertThat(master.service()).isNull();
        LogEvent slow = php.parse("[03-Dec-2026 09:36:38] WARNING: [pool api] child 27623, script '/srv/api/v1/price.php'"
                + " (request: \"GET /v1/price.php?sku=SKU-10011\") execution timed out (20.518064 sec), terminating", "fpm", ref);
        assertThat(slow.attributes()).containsEntry("pid", "27623").containsEntry("method", "GET")
                .containsEntry("path", "/v1/price.php?sku=SKU-10011");
        LogEvent debug = php.parse("[03-Dec-2026 09:18:28.123456] DEBUG: pid 1234, fpm_event_loop(), line 412: event module"
                + " triggered 1 events", "fpm", ref);
        assertThat(debug.level()).isEqualTo(Level.DEBUG);
        assertThat(debug.attributes()).containsEntry("pid", "1234");
        assertThat(debug.message()).isEqualTo("fpm_event_loop(), line 412: event module triggered 1 events");
    }

    @Test
    void phpsOwnLogIsReadInItsZone() {
        LogEvent fatal = php.parse("[03-Dec-2026 10:33:02 Europe/Berlin] PHP Fatal error:  Uncaught Error: Call to undefined"
                + " function f() in /srv/a.php:3", "php", ref);
        assertThat(fatal.timestamp()).isEqualTo(Instant.parse("2026-12-03T09:33:02Z"));
        assertThat(fatal.level()).isEqualTo(Level.ERROR);
        assertThat(fatal.message()).startsWith("PHP Fatal error:  Uncaught Error");
        LogEvent app = php.parse("[03-Dec-2026 09:33:02 UTC] payment gateway timed out", "php", ref);
        assertThat(app.level()).isEqualTo(Level.UNKNOWN);
        assertThat(app.message()).isEqualTo("payment gateway timed out");
    }

    @Test
    void rejectsOtherLines() {
        assertThat(php.parse("[03-Dec-2026 09:33:02] payment gateway timed out", "f", ref)).isNull(); // no level, no zone
        assertThat(php.parse("[03-Dec-2026 09:33:02 Not/AZone] PHP Warning:  x", "f", ref)).isNull();
        assertThat(php.parse("[03-Dec-2026 09:33:02] VERBOSE: x y z", "f", ref)).isNull();
        assertThat(php.parse("03-Dec-2026 09:33:02.123 INFO [main] org.apache.catalina.startup.Catalina.start x", "f", ref)).isNull();
        assertThat(php.parse("[Wed Dec 02 19:06:37.123 2026] [core:error] [pid 1] AH00124: x", "f", ref)).isNull();
    }

    @Test
    void aSlowLogIsDetectedAndEachRecordIsOneEventNamingTheScriptAndItsCalls() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String script = i % 3 == 0 ? "/srv/api/v1/price.php" : "/srv/api/v1/stock.php";
            lines.add("");
            lines.add("[03-Dec-2026 09:36:" + (10 + i) + "]  [pool api] pid " + (27000 + i));
            lines.add("script_filename = " + script);
            lines.add("[0x00007f1a27a13150] file_get_contents() /srv/api/lib/inventory.php:5");
            lines.add("[0x00007f1a27a130c0] inventory_get() " + script + ":7");
        }
        Path file = dir.resolve("www.slow.log");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        IngestSettings settings = IngestSettings.defaults();
        LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);
        List<LogEvent> events = new ArrayList<>();
        try (EventBatches batches = reader.open(file, "slow")) {
            batches.forEachRemaining(events::addAll);
            assertThat(batches.summary().format()).isEqualTo("php");
        }
        assertThat(events).hasSize(30);
        LogEvent first = events.get(0);
        assertThat(first.service()).isEqualTo("api");
        assertThat(first.level()).isEqualTo(Level.WARN);
        assertThat(first.message()).isEqualTo("slow request: /srv/api/v1/price.php in file_get_contents() < inventory_get()");
        assertThat(first.attributes()).containsEntry("pid", "27000").containsEntry("script", "/srv/api/v1/price.php");
        assertThat(first.raw()).endsWith("inventory_get() /srv/api/v1/price.php:7");
    }
}
