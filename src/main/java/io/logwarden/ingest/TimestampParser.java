package io.logwarden.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Reads the timestamps that log formats use, by hand rather than with {@code DateTimeFormatter}, because it
 * runs once per line:
 * <ul>
 *   <li>ISO-8601 and its log variants: {@code 2026-01-15T10:00:00Z}, {@code 2026-01-15 10:00:00,123},
 *       {@code 2026/01/15 10:00:00}, with an optional fraction (up to nanoseconds) and an optional zone
 *       ({@code Z}, {@code +01:00}, {@code +0100}, {@code +01}, {@code UTC}, {@code GMT}); a date alone is midnight</li>
 *   <li>Apache / nginx access: {@code 10/Oct/2000:13:55:36 -0700}</li>
 *   <li>ctime / Apache error: {@code Wed Oct 11 14:32:52[.123456] 2000}</li>
 *   <li>syslog without a year: {@code Oct 11 22:14:15}; the year is the latest one that does not put the
 *       stamp more than a day after "now" (the day absorbs clock skew and zone differences)</li>
 *   <li>RFC 1123: {@code Wed, 11 Oct 2000 13:55:36 GMT}</li>
 *   <li>epoch numbers: seconds (up to 11 digits, optional fraction), milliseconds, microseconds, nanoseconds</li>
 * </ul>
 * Stamps without a zone are read in the configured default zone. Every method returns null rather than
 * failing. Immutable and thread-safe.
 */
public final class TimestampParser {

    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";
    private static final String DAYS = "montuewedthufrisatsun";
    private static final long SYSLOG_FUTURE_TOLERANCE_SECONDS = 86_400;
    private static final int NO_OFFSET = Integer.MIN_VALUE;
    private static final int[] ISO_DIGITS = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

    private final ZoneId defaultZone;
    private final ZoneRules rules;
    private final int fixedOffsetSeconds;
    private final Clock clock;

    public TimestampParser(ZoneId defaultZone, Clock clock) {
        this.defaultZone = defaultZone == null ? ZoneOffset.UTC : defaultZone;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.rules = this.defaultZone.getRules();
        this.fixedOffsetSeconds = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : NO_OFFSET;
    }

    public ZoneId defaultZone() {
        return defaultZone;
    }

    public Clock clock() {
        return clock;
    }

    /** Parses a whole string; null if it is null or not a supported timestamp. */
    public Instant parse(String text) {
        return text == null ? null : parse(text, 0, text.length());
    }

    /** Parses {@code s[from, to)} (surrounding spaces allowed); null if it is not a supported timestamp. */
    public Instant parse(String s, int from, int to) {
        while (from < to && s.charAt(from) == ' ') from++;
        while (to > from && s.charAt(to - 1) == ' ') to--;
        if (to - from < 6) {
            return to > from && isDigit(s.charAt(from)) ? epoch(s, from, to) : null;
        }
        char c = s.charAt(from);
        if (isDigit(c)) {
            char c4 = s.charAt(from + 4);
            if ((c4 == '-' || c4 == '/') && isDigit(s.charAt(from + 3))) {
                return iso(s, from, to);
            }
            if (s.charAt(from + 2) == '/') {
                return apache(s, from, to);
            }
            return epoch(s, from, to);
        }
        if (isLetter(c)) {
            if (s.charAt(from + 3) == ',') {
                return rfc1123(s, from, to);
            }
            if (dayOfWeek(s, from) >= 0) {
                return ctime(s, from, to);
            }
            return syslog(s, from, to);
        }
        return null;
    }

    /** Epoch seconds, milliseconds, microseconds or nanoseconds told apart by their number of digits. */
    Instant epoch(String s, int from, int to) {
        int dot = -1;
        long whole = 0;
        int intDigits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.' && dot < 0) {
                dot = i;
            } else if (!isDigit(c)) {
                return null;
            } else if (dot < 0) {
                if (++intDigits > 19) return null;
                whole = whole * 10 + (c - '0');
            }
        }
        if (intDigits == 0) return null;
        if (intDigits <= 11) {
            int nanos = dot < 0 ? 0 : fraction(s, dot + 1, to);
            return Instant.ofEpochSecond(whole, nanos);
        }
        if (dot >= 0) return null;
        if (intDigits <= 14) return Instant.ofEpochMilli(whole);
        if (intDigits <= 17) return Instant.ofEpochSecond(whole / 1_000_000, (whole % 1_000_000) * 1000);
        return Instant.ofEpochSecond(whole / 1_000_000_000, whole % 1_000_000_000);
    }

    /** yyyy-MM-dd[(T| )HH:mm[:ss][(.|,)fraction][ ][zone]], also with '/' between the date fields. */
    Instant iso(String s, int from, int to) {
        if (to - from < 10) return null;
        int y = digits(s, from, 4);
        char sep = s.charAt(from + 4);
        int mo = digits(s, from + 5, 2);
        if (s.charAt(from + 7) != sep) return null;
        int d = digits(s, from + 8, 2);
        if (y < 0 || mo < 0 || d < 0) return null;
        if (to == from + 10) {
            return toInstant(y, mo, d, 0, 0, 0, 0, NO_OFFSET);
        }
        char t = s.charAt(from + 10);
        if (t != 'T' && t != ' ' && t != 't') return null;
        int p = from + 11;
        if (to - p < 5) return null;
        if (t == ' ' && wideSeparator(s, from)) p++;
        int h = t == ' ' && paddedHour(s, from) ? digits(s, p + 1, 1) : digits(s, p, 2);
        if (s.charAt(p + 2) != ':') return null;
        int mi = digits(s, p + 3, 2);
        p += 5;
        int sec = 0;
        if (p + 2 < to && s.charAt(p) == ':') {
            sec = digits(s, p + 1, 2);
            p += 3;
        }
        if (h < 0 || mi < 0 || sec < 0) return null;
        int nanos = 0;
        if (p < to && (s.charAt(p) == '.' || s.charAt(p) == ',')) {
            int q = p + 1;
            while (q < to && isDigit(s.charAt(q))) q++;
            if (q == p + 1) return null;
            nanos = fraction(s, p + 1, q);
            p = q;
        }
        return withZone(s, p, to, y, mo, d, h, mi, sec, nanos);
    }

    /** dd/MMM/yyyy:HH:mm:ss[ ±hhmm] */
    Instant apache(String s, int from, int to) {
        if (to - from < 20) return null;
        int d = digits(s, from, 2);
        int mo = month(s, from + 3);
        if (s.charAt(from + 6) != '/' || s.charAt(from + 11) != ':') return null;
        int y = digits(s, from + 7, 4);
        int h = digits(s, from + 12, 2);
        int mi = digits(s, from + 15, 2);
        int sec = digits(s, from + 18, 2);
        if (d < 0 || mo < 0 || y < 0 || h < 0 || mi < 0 || sec < 0
                || s.charAt(from + 14) != ':' || s.charAt(from + 17) != ':') return null;
        return withZone(s, from + 20, to, y, mo, d, h, mi, sec, 0);
    }

    /** EEE MMM d HH:mm:ss[.fraction] yyyy (the day may be space-padded). */
    Instant ctime(String s, int from, int to) {
        if (s.charAt(from + 3) != ' ') return null;
        int p = from + 4;
        int mo = month(s, p);
        if (mo < 0 || p + 3 >= to || s.charAt(p + 3) != ' ') return null;
        p += 4;
        if (p < to && s.charAt(p) == ' ') p++;
        int[] cursor = {p};
        int d = number(s, cursor, to, 2);
        p = cursor[0];
        if (d < 0 || p >= to || s.charAt(p) != ' ') return null;
        p++;
        if (to - p < 13) return null;
        int h = digits(s, p, 2);
        int mi = digits(s, p + 3, 2);
        int sec = digits(s, p + 6, 2);
        if (h < 0 || mi < 0 || sec < 0 || s.charAt(p + 2) != ':' || s.charAt(p + 5) != ':') return null;
        p += 8;
        int nanos = 0;
        if (s.charAt(p) == '.') {
            int q = p + 1;
            while (q < to && isDigit(s.charAt(q))) q++;
            nanos = fraction(s, p + 1, q);
            p = q;
        }
        if (p + 5 != to || s.charAt(p) != ' ') return null;
        int y = digits(s, p + 1, 4);
        if (y < 0) return null;
        return toInstant(y, mo, d, h, mi, sec, nanos, NO_OFFSET);
    }

    /** MMM d HH:mm:ss[.fraction][ yyyy]; without a year, the year is inferred from the clock. */
    Instant syslog(String s, int from, int to) {
        int mo = month(s, from);
        if (mo < 0 || s.charAt(from + 3) != ' ') return null;
        int p = from + 4;
        if (p < to && s.charAt(p) == ' ') p++;
        int[] cursor = {p};
        int d = number(s, cursor, to, 2);
        p = cursor[0];
        if (d < 0 || p >= to || s.charAt(p) != ' ' || to - p < 9) return null;
        p++;
        int h = digits(s, p, 2);
        int mi = digits(s, p + 3, 2);
        int sec = digits(s, p + 6, 2);
        if (h < 0 || mi < 0 || sec < 0 || s.charAt(p + 2) != ':' || s.charAt(p + 5) != ':') return null;
        p += 8;
        int nanos = 0;
        if (p < to && s.charAt(p) == '.') {
            int q = p + 1;
            while (q < to && isDigit(s.charAt(q))) q++;
            nanos = fraction(s, p + 1, q);
            p = q;
        }
        if (p == to) {
            return inferYear(mo, d, h, mi, sec, nanos);
        }
        if (p + 5 == to && s.charAt(p) == ' ') {
            int y = digits(s, p + 1, 4);
            return y < 0 ? null : toInstant(y, mo, d, h, mi, sec, nanos, NO_OFFSET);
        }
        return null;
    }

    /** EEE, d MMM yyyy HH:mm:ss zone */
    Instant rfc1123(String s, int from, int to) {
        if (dayOfWeek(s, from) < 0 || s.charAt(from + 4) != ' ') return null;
        int[] cursor = {from + 5};
        int d = number(s, cursor, to, 2);
        int p = cursor[0];
        if (d < 0 || p + 21 > to || s.charAt(p) != ' ') return null;
        int mo = month(s, p + 1);
        if (mo < 0 || s.charAt(p + 4) != ' ' || s.charAt(p + 9) != ' ') return null;
        int y = digits(s, p + 5, 4);
        p += 10;
        int h = digits(s, p, 2);
        int mi = digits(s, p + 3, 2);
        int sec = digits(s, p + 6, 2);
        if (y < 0 || h < 0 || mi < 0 || sec < 0 || s.charAt(p + 2) != ':' || s.charAt(p + 5) != ':') return null;
        return withZone(s, p + 8, to, y, mo, d, h, mi, sec, 0);
    }

    /**
     * A syslog stamp without a year: the latest year that does not put it in the future (with a day's
     * tolerance) relative to the clock.
     */
    public Instant inferYear(int month, int day, int hour, int minute, int second, int nanos) {
        Instant now = clock.instant();
        long limit = now.getEpochSecond() + SYSLOG_FUTURE_TOLERANCE_SECONDS;
        // Start a year ahead: a 1 January stamp read on 31 December UTC may come from a zone ahead of UTC.
        int year = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, ZoneOffset.UTC).getYear() + 1;
        for (int y = year; y > year - 10; y--) {
            Instant t = toInstant(y, month, day, hour, minute, second, nanos, NO_OFFSET);
            if (t != null && t.getEpochSecond() <= limit) {
                return t;
            }
        }
        return null;
    }

    // The zone after a date-time: nothing (default zone), Z, ±hh[:mm], ±hhmm, UTC, GMT, UT, or a US zone of RFC 822.
    private Instant withZone(String s, int p, int to, int y, int mo, int d, int h, int mi, int sec, int nanos) {
        if (p < to && s.charAt(p) == ' ') p++;
        if (p == to) {
            return toInstant(y, mo, d, h, mi, sec, nanos, NO_OFFSET);
        }
        char c = s.charAt(p);
        int offset;
        if ((c == 'Z' || c == 'z') && p + 1 == to) {
            offset = 0;
        } else if (c == '+' || c == '-') {
            int hh = digits(s, p + 1, 2);
            if (hh < 0 || hh > 18) return null;
            int q = p + 3;
            int mm = 0;
            if (q < to && s.charAt(q) == ':') q++;
            if (q < to) {
                mm = digits(s, q, 2);
                if (mm < 0 || mm > 59 || q + 2 != to) return null;
            } else if (q != to) {
                return null;
            }
            offset = (hh * 3600 + mm * 60) * (c == '-' ? -1 : 1);
        } else {
            offset = namedZone(s.substring(p, to));
            if (offset == NO_OFFSET) return null;
        }
        return toInstant(y, mo, d, h, mi, sec, nanos, offset);
    }

    private static int namedZone(String z) {
        switch (z) {
            case "UTC": case "GMT": case "UT": case "Z": return 0;
            case "EST": return -5 * 3600;
            case "EDT": return -4 * 3600;
            case "CST": return -6 * 3600;
            case "CDT": return -5 * 3600;
            case "MST": return -7 * 3600;
            case "MDT": return -6 * 3600;
            case "PST": return -8 * 3600;
            case "PDT": return -7 * 3600;
            case "WET": return 0;
            case "WEST": case "BST": case "CET": return 3600;
            case "CEST": case "EET": return 2 * 3600;
            case "EEST": case "MSK": return 3 * 3600;
            case "JST": case "KST": return 9 * 3600;
            case "AEST": return 10 * 3600;
            case "AEDT": return 11 * 3600;
            default: return NO_OFFSET;
        }
    }

    private Instant toInstant(int y, int mo, int d, int h, int mi, int sec, int nanos, int offset) {
        if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) {
            return null;
        }
        if (sec == 60) sec = 59; // leap second
        long local = daysFromCivil(y, mo, d) * 86_400L + h * 3600L + mi * 60L + sec;
        if (offset == NO_OFFSET) {
            offset = fixedOffsetSeconds != NO_OFFSET ? fixedOffsetSeconds
                    : rules.getOffset(LocalDateTime.of(y, mo, d, h, mi, sec)).getTotalSeconds();
        }
        return Instant.ofEpochSecond(local - offset, nanos);
    }

    /** A local date-time in the default zone (null when a field is out of range), for the timestamp shapes. */
    Instant local(int y, int mo, int d, int h, int mi, int sec, int nanos) {
        return toInstant(y, mo, d, h, mi, sec, nanos, NO_OFFSET);
    }

    /** Nanoseconds from the fraction digits {@code s[from, to)}. */
    static int nanos(String s, int from, int to) {
        return fraction(s, from, to);
    }

    static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** Days in months 1..12 of a common year (index 0 unused). */
    private static final int[] DAYS_IN_MONTH = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    /**
     * Days in month {@code m} (1..12) of year {@code y}. A table, not a switch: compiled code that has only met some
     * months is not thrown away when a file brings another one.
     */
    static int daysInMonth(int y, int m) {
        boolean leap = (y & 3) == 0 & (y % 100 != 0 | y % 400 == 0);
        return DAYS_IN_MONTH[m] + (m == 2 & leap ? 1 : 0);
    }

    /** Month from a three-letter English abbreviation at {@code i} (any case), 1..12, or -1. */
    static int month(String s, int i) {
        if (i + 3 > s.length()) return -1;
        char a = lower(s.charAt(i)), b = lower(s.charAt(i + 1)), c = lower(s.charAt(i + 2));
        for (int k = 0; k < 36; k += 3) {
            if (MONTHS.charAt(k) == a && MONTHS.charAt(k + 1) == b && MONTHS.charAt(k + 2) == c) {
                return k / 3 + 1;
            }
        }
        return -1;
    }

    static int dayOfWeek(String s, int i) {
        if (i + 3 > s.length()) return -1;
        char a = lower(s.charAt(i)), b = lower(s.charAt(i + 1)), c = lower(s.charAt(i + 2));
        for (int k = 0; k < 21; k += 3) {
            if (DAYS.charAt(k) == a && DAYS.charAt(k + 1) == b && DAYS.charAt(k + 2) == c) {
                return k / 3 + 1;
            }
        }
        return -1;
    }

    /**
     * End of an ISO-like date-time starting at {@code from} (date, 'T' or space, time, fraction, zone), or -1.
     * Lets line parsers find where the stamp ends without a regular expression.
     */
    static int isoEnd(String s, int from) {
        int n = s.length();
        if (from + 19 > n) return -1;
        char sep = s.charAt(from + 4);
        if ((sep != '-' && sep != '/') || s.charAt(from + 7) != sep) return -1;
        if (wideSeparator(s, from)) { // "2026-12-03  20:14:57": the rest one further on
            if (from + 20 > n || digits(s, from, 4) < 0 || digits(s, from + 5, 2) < 0 || digits(s, from + 8, 2) < 0
                    || digits(s, from + 15, 2) < 0 || s.charAt(from + 17) != ':' || digits(s, from + 18, 2) < 0) {
                return -1;
            }
            return from + 20;
        }
        for (int i : ISO_DIGITS) {
            if (!isDigit(s.charAt(from + i)) && !(i == 11 && paddedHour(s, from))) return -1;
        }
        char t = s.charAt(from + 10);
        if ((t != 'T' && t != ' ') || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':') return -1;
        int p = from + 19;
        if (p < n && (s.charAt(p) == '.' || s.charAt(p) == ',')) {
            int q = p + 1;
            while (q < n && isDigit(s.charAt(q))) q++;
            if (q == p + 1) return p;
            p = q;
        }
        if (p < n) {
            char c = s.charAt(p);
            if (c == 'Z') {
                p++;
            } else if ((c == '+' || c == '-') && p + 3 <= n && isDigit(s.charAt(p + 1)) && isDigit(s.charAt(p + 2))) {
                int q = p + 3;
                if (q < n && s.charAt(q) == ':') q++;
                if (q + 2 <= n && isDigit(s.charAt(q)) && isDigit(s.charAt(q + 1))) q += 2;
                p = q;
            } else if (c == ' ' && p + 5 < n && (s.charAt(p + 1) == '+' || s.charAt(p + 1) == '-')
                    && digits(s, p + 2, 4) >= 0 && (p + 6 == n || !isDigit(s.charAt(p + 6)))) {
                p += 6; // an offset after a space, as Python's "%Y-%m-%d %H:%M:%S %z" writes it (gunicorn)
            } else if (c == ' ') {
                // A zone written as a word after the time, as PostgreSQL's %m does: "2026-01-15 10:00:00.123 UTC".
                int q = p + 1;
                while (q < n && q - p <= 5 && s.charAt(q) >= 'A' && s.charAt(q) <= 'Z') q++;
                if (q - p >= 3 && (q == n || !Character.isLetterOrDigit(s.charAt(q)))
                        && namedZone(s.substring(p + 1, q)) != NO_OFFSET) {
                    p = q;
                }
            }
        }
        return p;
    }

    // "2026-01-15  9:00:00": a date, a space, and an hour of one digit padded by a space (MariaDB's error log).
    private static boolean paddedHour(String s, int from) {
        return s.charAt(from + 10) == ' ' && s.charAt(from + 11) == ' ' && isDigit(s.charAt(from + 12))
                && s.charAt(from + 13) == ':';
    }

    // "2026-12-03  20:14:57": a date and a two-digit hour two spaces apart (Icecast's "%Y-%m-%d  %H:%M:%S").
    private static boolean wideSeparator(String s, int from) {
        return s.length() > from + 14 && s.charAt(from + 10) == ' ' && s.charAt(from + 11) == ' '
                && isDigit(s.charAt(from + 12)) && isDigit(s.charAt(from + 13)) && s.charAt(from + 14) == ':';
    }

    // Nanoseconds from up to nine fraction digits s[from, to); further digits are ignored.
    private static int fraction(String s, int from, int to) {
        int nanos = 0;
        int scale = 100_000_000;
        for (int i = from; i < to && scale > 0; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return 0;
            nanos += (c - '0') * scale;
            scale /= 10;
        }
        return nanos;
    }

    /** Exactly {@code n} digits at {@code i}, or -1. */
    static int digits(String s, int i, int n) {
        if (i < 0 || i + n > s.length()) return -1;
        int v = 0;
        for (int k = i; k < i + n; k++) {
            char c = s.charAt(k);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    // 1..max digits at cursor[0]; advances the cursor. -1 if none.
    private static int number(String s, int[] cursor, int to, int max) {
        int i = cursor[0];
        int v = 0;
        int k = i;
        while (k < to && k - i < max && isDigit(s.charAt(k))) {
            v = v * 10 + (s.charAt(k) - '0');
            k++;
        }
        if (k == i) return -1;
        cursor[0] = k;
        return v;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Where the run of digits at {@code from} ends, at {@code to} at the latest ({@code from} when there is none). */
    static int digitsEnd(String s, int from, int to) {
        int i = from;
        while (i < to && isDigit(s.charAt(i))) i++;
        return i;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
