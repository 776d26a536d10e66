package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RegexFormatTest {

    @Test
    void mapsNamedGroupsToFieldsAndAttributes() {
        RegexFormat format = new RegexFormat("billing",
                "(?<timestamp>\\S+ \\S+) \\| (?<level>\\w+) \\| (?<service>[\\w.]+) \\| req=(?<requestId>\\w+) \\| (?<message>.*)", null);
        LogEvent e = format.parse("2026-01-15 10:00:00.250 | ERROR | billing.api | req=ab12 | invoice 9 failed", "b", null);
        assertThat(format.name()).isEqualTo("billing");
        assertThat(e.timestamp()).isEqualTo("2026-01-15T10:00:00.250Z");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.service()).isEqualTo("billing.api");
        assertThat(e.message()).isEqualTo("invoice 9 failed");
        assertThat(e.attributes()).containsOnlyKeys("requestId").containsEntry("requestId", "ab12");
        assertThat(format.parse("something else", "b", null)).isNull();
    }

    @Test
    void usesTheTimestampPatternInTheDefaultZoneAndInfersMissingYears() {
        TimestampParser berlin = new TimestampParser(ZoneId.of("Europe/Berlin"),
                Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC));
        RegexFormat format = new RegexFormat("eu", "(?<timestamp>\\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d) (?<message>.*)",
                "dd.MM.yyyy HH:mm", berlin);
        assertThat(format.parse("15.01.2026 10:00 hello", "s", null).timestamp()).isEqualTo("2026-01-15T09:00:00Z");
        RegexFormat noYear = new RegexFormat("ny", "(?<timestamp>\\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d) (?<message>.*)",
                "MMM dd HH:mm:ss", berlin);
        assertThat(noYear.parse("Dec 24 18:00:00 hello", "s", null).timestamp()).isEqualTo("2025-12-24T17:00:00Z");
        LogEvent bad = format.parse("99.99.2026 10:00 hello", "s", null);
        assertThat(bad.timestamp()).isNull();
        assertThat(bad.attributes()).containsEntry("timestamp.raw", "99.99.2026 10:00");
    }

    @Test
    void repeatedAndAlternatingStampsEachGetTheirOwnInstant() {
        RegexFormat format = new RegexFormat("hdfs", "(?<timestamp>\\d{6} \\d{6}) (?<message>.*)", "yyMMdd HHmmss");
        String[] lines = {"081109 203615 a", "081109 203615 b", "081109 203616 c", "081109 203615 d",
                "991399 203615 bad", "081109 203615 e"};
        String[] expected = {"2008-11-09T20:36:15Z", "2008-11-09T20:36:15Z", "2008-11-09T20:36:16Z",
                "2008-11-09T20:36:15Z", null, "2008-11-09T20:36:15Z"};
        for (int i = 0; i < lines.length; i++) {
            Instant ts = format.parse(lines[i], "s", null).timestamp();
            assertThat(ts == null ? null : ts.toString()).as(lines[i]).isEqualTo(expected[i]);
        }
        TimestampParser early = new TimestampParser(ZoneOffset.UTC, Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC));
        RegexFormat noYear = new RegexFormat("ny", "(?<timestamp>\\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d) (?<message>.*)",
                "MMM dd HH:mm:ss", early);
        assertThat(noYear.parse("Dec 24 18:00:00 a", "s", null).timestamp())
                .isEqualTo(noYear.parse("Dec 24 18:00:00 b", "s", null).timestamp());
    }

    @Test
    void withoutAMessageGroupTheWholeLineIsTheMessage() {
        RegexFormat format = new RegexFormat("kv", "ts=(?<timestamp>\\S+) .*", null);
        LogEvent e = format.parse("ts=2026-01-15T10:00:00Z user=bob action=login", "s", null);
        assertThat(e.message()).isEqualTo("ts=2026-01-15T10:00:00Z user=bob action=login");
        assertThat(e.level()).isEqualTo(Level.UNKNOWN);
    }

    @Test
    void ignoresEscapedAndLookbehindGroupSyntax() {
        RegexFormat format = new RegexFormat("x", "\\(?<notAGroup>(?<!x)(?<message>.*)", null);
        LogEvent e = format.parse("(<notAGroup>hello", "s", null);
        assertThat(e.message()).isEqualTo("hello");
        assertThat(e.attributes()).isEmpty();
    }

    @Test
    void rejectsInvalidRegexesAndPatternsNamingTheFormat() {
        assertThatThrownBy(() -> new RegexFormat("broken", "(?<message>.*", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 'broken'").hasMessageContaining("invalid regex").hasMessageContaining("(?<message>.*");
        assertThatThrownBy(() -> new RegexFormat("badts", "(?<timestamp>.*)", "yyyy-MM-dd {{"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 'badts'");
        assertThatThrownBy(() -> new RegexFormat(" ", ".*", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
