package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampParserTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);
    private final TimestampParser utc = new TimestampParser(ZoneOffset.UTC, NOW);

    @Test
    void readsIsoVariants() {
        assertThat(utc.parse("2026-01-15T10:00:00Z")).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(utc.parse("2026-01-15T10:00:00.123Z")).isEqualTo("2026-01-15T10:00:00.123Z");
        assertThat(utc.parse("2026-01-15T10:00:00.123456789Z")).isEqualTo("2026-01-15T10:00:00.123456789Z");
        assertThat(utc.parse("2026-01-15T10:00:00+02:00")).isEqualTo("2026-01-15T08:00:00Z");
        assertThat(utc.parse("2026-01-15T10:00:00-0530")).isEqualTo("2026-01-15T15:30:00Z");
        assertThat(utc.parse("2026-01-15T10:00:00+01")).isEqualTo("2026-01-15T09:00:00Z");
        assertThat(utc.parse("2026-01-15 10:00:00,123")).isEqualTo("2026-01-15T10:00:00.123Z");
        assertThat(utc.parse("2026-01-15 10:00:00.5")).isEqualTo("2026-01-15T10:00:00.500Z");
        assertThat(utc.parse("2026/01/15 10:00:00")).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(utc.parse("2026-01-15 10:00:00 UTC")).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(utc.parse("2026-01-15T10:00")).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(utc.parse("2026-01-15")).isEqualTo("2026-01-15T00:00:00Z");
    }

    @Test
    void zoneLessStampsUseTheDefaultZoneIncludingDaylightSaving() {
        TimestampParser berlin = new TimestampParser(ZoneId.of("Europe/Berlin"), NOW);
        assertThat(berlin.parse("2026-01-15 10:00:00")).isEqualTo("2026-01-15T09:00:00Z");
        assertThat(berlin.parse("2026-07-15 10:00:00")).isEqualTo("2026-07-15T08:00:00Z");
        assertThat(berlin.parse("2026-07-15T10:00:00Z")).isEqualTo("2026-07-15T10:00:00Z");
        TimestampParser fixed = new TimestampParser(ZoneOffset.ofHours(-5), NOW);
        assertThat(fixed.parse("2026-01-15 10:00:00")).isEqualTo("2026-01-15T15:00:00Z");
    }

    @Test
    void readsApacheCtimeAndRfc1123() {
        assertThat(utc.parse("10/Oct/2000:13:55:36 -0700")).isEqualTo("2000-10-10T20:55:36Z");
        assertThat(utc.parse("10/Oct/2000:13:55:36 +0000")).isEqualTo("2000-10-10T13:55:36Z");
        assertThat(utc.parse("Wed Oct 11 14:32:52 2000")).isEqualTo("2000-10-11T14:32:52Z");
        assertThat(utc.parse("Wed Oct 11 14:32:52.123456 2000")).isEqualTo("2000-10-11T14:32:52.123456Z");
        assertThat(utc.parse("Sun Oct  1 04:02:03 2000")).isEqualTo("2000-10-01T04:02:03Z");
        assertThat(utc.parse("Wed, 11 Oct 2000 13:55:36 GMT")).isEqualTo("2000-10-11T13:55:36Z");
        assertThat(utc.parse("Tue, 3 Jun 2008 11:05:30 +0200")).isEqualTo("2008-06-03T09:05:30Z");
        assertThat(utc.parse("Tue, 3 Jun 2008 11:05:30 PDT")).isEqualTo("2008-06-03T18:05:30Z");
    }

    @Test
    void readsEpochNumbersByMagnitude() {
        assertThat(utc.parse("1768471200")).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(utc.parse("1768471200.25")).isEqualTo("2026-01-15T10:00:00.250Z");
        assertThat(utc.parse("1768471200123")).isEqualTo("2026-01-15T10:00:00.123Z");
        assertThat(utc.parse("1768471200123456")).isEqualTo("2026-01-15T10:00:00.123456Z");
        assertThat(utc.parse("1768471200123456789")).isEqualTo("2026-01-15T10:00:00.123456789Z");
    }

    @Test
    void infersTheSyslogYearSoThatStampsAreNotInTheFuture() {
        // now is 2026-03-10: March 9 is this year, December is last year
        assertThat(utc.parse("Mar  9 22:14:15")).isEqualTo("2026-03-09T22:14:15Z");
        assertThat(utc.parse("Dec 31 23:59:59")).isEqualTo("2025-12-31T23:59:59Z");
        assertThat(utc.parse("Mar 10 18:00:00")).isEqualTo("2026-03-10T18:00:00Z"); // within a day: clock skew
        assertThat(utc.parse("Mar 12 10:00:00")).isEqualTo("2025-03-12T10:00:00Z");
        assertThat(utc.parse("Oct 11 22:14:15.250")).isEqualTo("2025-10-11T22:14:15.250Z");
        assertThat(utc.parse("Oct 11 22:14:15 2024")).isEqualTo("2024-10-11T22:14:15Z");
        // Feb 29: the latest leap year not in the future
        assertThat(utc.parse("Feb 29 10:00:00")).isEqualTo("2024-02-29T10:00:00Z");
    }

    @Test
    void newYearStampReadJustBeforeMidnightUtcFromAZoneAhead() {
        Clock lateDecember = Clock.fixed(Instant.parse("2026-12-31T23:30:00Z"), ZoneOffset.UTC);
        TimestampParser tokyo = new TimestampParser(ZoneId.of("Asia/Tokyo"), lateDecember);
        assertThat(tokyo.parse("Jan  1 08:15:00")).isEqualTo("2026-12-31T23:15:00Z");
    }

    @Test
    void returnsNullForAnythingElse() {
        assertThat(utc.parse(null)).isNull();
        assertThat(utc.parse("")).isNull();
        assertThat(utc.parse("yesterday")).isNull();
        assertThat(utc.parse("2026-13-01T00:00:00Z")).isNull();
        assertThat(utc.parse("2026-02-30 10:00:00")).isNull();
        assertThat(utc.parse("2026-01-15T25:00:00Z")).isNull();
        assertThat(utc.parse("2026-01-15T10:00:00 Mars/Olympus")).isNull();
        assertThat(utc.parse("10/Foo/2000:13:55:36 -0700")).isNull();
        assertThat(utc.parse("1.7e9")).isNull();
        assertThat(utc.parse("Oct 11 2x:14:15")).isNull();
    }

    @Test
    void aZoneWrittenAsAWordAfterTheTimeIsPartOfTheStamp() {
        String line = "2026-01-15 10:00:00.123 CET [12] LOG:  checkpoint starting";
        int end = TimestampParser.isoEnd(line, 0);
        org.assertj.core.api.Assertions.assertThat(line.substring(0, end)).isEqualTo("2026-01-15 10:00:00.123 CET");
        org.assertj.core.api.Assertions.assertThat(TimestampParser.isoEnd("2026-01-15 10:00:00 INFO main", 0)).isEqualTo(19);
    }

    @Test
    void daysInMonthAgreeWithTheCalendarOverCenturiesOfLeapYears() {
        for (int year = 1583; year <= 2600; year++) {
            for (int month = 1; month <= 12; month++) {
                assertThat(TimestampParser.daysInMonth(year, month)).as("%d-%02d", year, month)
                        .isEqualTo(java.time.YearMonth.of(year, month).lengthOfMonth());
            }
        }
    }
}
