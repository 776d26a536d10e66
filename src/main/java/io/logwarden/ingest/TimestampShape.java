package io.logwarden.ingest;

import java.time.Instant;

/**
 * The written forms of a timestamp that layout inference looks for at the start of each header field. Each shape
 * knows where a stamp of its form ends ({@link #end}, a cheap check of digits and separators) and how to read it
 * ({@link #read}); both work on the line in place, without a regular expression. Year-less shapes get the year
 * that does not put the stamp in the future; stamps without a zone are in the default zone.
 */
enum TimestampShape {

    /**
     * {@code 2026-01-15T10:00:00.123Z}, {@code 2026-01-15 10:00:00,123}, {@code 2026/01/15 10:00:00}, and with the hour
     * padded by a space as MariaDB writes it: {@code 2026-01-15  9:00:00}.
     */
    ISO_8601("ISO-8601") {
        @Override
        int end(String s, int p) {
            return TimestampParser.isoEnd(s, p);
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.iso(s, p, end);
        }
    },
    /** DB2 / BGL: {@code 2005-06-03-15.42.50.675872}. */
    DASHED("yyyy-MM-dd-HH.mm.ss.SSSSSS") {
        @Override
        int end(String s, int p) {
            if (!pattern(s, p, "dddd-dd-dd-dd.dd.dd")) return -1;
            return fractionEnd(s, p + 19, '.');
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.local(d(s, p, 4), d(s, p + 5, 2), d(s, p + 8, 2), d(s, p + 11, 2), d(s, p + 14, 2),
                    d(s, p + 17, 2), nanos(s, p + 19, end));
        }
    },
    /** ctime, as Apache's error log writes it: {@code Sun Dec 04 04:47:44 2005}. */
    CTIME("EEE MMM dd HH:mm:ss yyyy") {
        @Override
        int end(String s, int p) {
            if (TimestampParser.dayOfWeek(s, p) < 0 || p + 4 >= s.length() || s.charAt(p + 3) != ' ') return -1;
            int q = p + 4;
            if (TimestampParser.month(s, q) < 0 || q + 3 >= s.length() || s.charAt(q + 3) != ' ') return -1;
            q = dayAndTime(s, q + 4);
            if (q < 0) return -1;
            q = fractionEnd(s, q, '.');
            if (!pattern(s, q, " dddd")) return -1;
            return q + 5;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.ctime(s, p, end);
        }
    },
    /**
     * The day before the month's name: log4j's {@code %d{DATE}} ({@code 15 Jan 2026 10:00:00,123}), Redis
     * ({@code 15 Jan 2026 10:00:00.123}).
     */
    DAY_MONTH_NAME("dd MMM yyyy HH:mm:ss") {
        @Override
        int end(String s, int p) {
            int q = digitRun(s, p);
            if (q - p < 1 || q - p > 2 || !pattern(s, q, " ") || TimestampParser.month(s, q + 1) < 0) return -1;
            if (!pattern(s, q + 4, " dddd dd:dd:dd")) return -1;
            return fractionEnd(s, q + 18, '.');
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            int q = digitRun(s, p);
            int mo = TimestampParser.month(s, q + 1);
            return t.local(d(s, q + 5, 4), mo, d(s, p, q - p), d(s, q + 10, 2), d(s, q + 13, 2), d(s, q + 16, 2),
                    nanos(s, q + 18, end));
        }
    },
    /** Tomcat's JULI (catalina.out, catalina.log): {@code 02-Dec-2026 03:44:44.123}. */
    DASHED_MONTH_NAME("dd-MMM-yyyy HH:mm:ss") {
        @Override
        int end(String s, int p) {
            if (!pattern(s, p, "dd-") || TimestampParser.month(s, p + 3) < 0 || !pattern(s, p + 6, "-dddd dd:dd:dd")) {
                return -1;
            }
            return fractionEnd(s, p + 20, '.');
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.local(d(s, p + 7, 4), TimestampParser.month(s, p + 3), d(s, p, 2), d(s, p + 12, 2),
                    d(s, p + 15, 2), d(s, p + 18, 2), nanos(s, p + 20, end));
        }
    },
    /** java.util.logging's SimpleFormatter: {@code Dec 02, 2026 3:44:44 AM} (its level opens the next line). */
    MONTH_NAME_AM_PM("MMM dd, yyyy h:mm:ss a") {
        @Override
        int end(String s, int p) {
            if (TimestampParser.month(s, p) < 0 || !pattern(s, p + 3, " ")) return -1;
            int q = digitRun(s, p + 4);
            if (q - p - 4 < 1 || q - p - 4 > 2 || !pattern(s, q, ", dddd ")) return -1;
            int h = digitRun(s, q + 7);
            if (h - q - 7 < 1 || h - q - 7 > 2 || !pattern(s, h, ":dd:dd ")) return -1;
            return pattern(s, h + 7, "AM") || pattern(s, h + 7, "PM") ? h + 9 : -1;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            int q = digitRun(s, p + 4);
            int h = digitRun(s, q + 7);
            int hour = d(s, q + 7, h - q - 7);
            if (hour < 1 || hour > 12) return null;
            hour = hour % 12 + (s.charAt(h + 7) == 'P' ? 12 : 0);
            return t.local(d(s, q + 2, 4), TimestampParser.month(s, p), d(s, p + 4, q - p - 4), hour, d(s, h + 1, 2),
                    d(s, h + 4, 2), 0);
        }
    },
    /** Access logs: {@code 10/Oct/2000:13:55:36 -0700}. */
    APACHE("dd/MMM/yyyy:HH:mm:ss Z") {
        @Override
        int end(String s, int p) {
            if (!pattern(s, p, "dd/") || TimestampParser.month(s, p + 3) < 0 || !pattern(s, p + 6, "/dddd:dd:dd:dd")) {
                return -1;
            }
            int q = p + 20;
            if (pattern(s, q, " +dddd") || pattern(s, q, " -dddd")) {
                char sign = s.charAt(q + 1);
                if (sign == '+' || sign == '-') return q + 6;
            }
            return q;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.apache(s, p, end);
        }
    },
    /** {@code 20171223-22:15:29:606}. */
    COMPACT("yyyyMMdd-HH:mm:ss:SSS") {
        @Override
        int end(String s, int p) {
            if (!pattern(s, p, "dddddddd-dd:dd:dd")) return -1;
            int q = p + 17;
            if (q < s.length() && (s.charAt(q) == ':' || s.charAt(q) == '.')) {
                return fractionEnd(s, q, s.charAt(q));
            }
            return q;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            int nanos = end > p + 18 ? millisLike(s, p + 18, end) : 0;
            return t.local(d(s, p, 4), d(s, p + 4, 2), d(s, p + 6, 2), d(s, p + 9, 2), d(s, p + 12, 2),
                    d(s, p + 15, 2), nanos);
        }
    },
    /** Spark: {@code 17/06/09 20:10:40}. */
    SHORT_SLASHED("yy/MM/dd HH:mm:ss") {
        @Override
        int end(String s, int p) {
            return pattern(s, p, "dd/dd/dd dd:dd:dd") ? fractionEnd(s, p + 17, '.') : -1;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.local(2000 + d(s, p, 2), d(s, p + 3, 2), d(s, p + 6, 2), d(s, p + 9, 2), d(s, p + 12, 2),
                    d(s, p + 15, 2), nanos(s, p + 17, end));
        }
    },
    /** {@code 2005.06.03 15:42:50} (also with '-' before the time). */
    DOTTED("yyyy.MM.dd HH:mm:ss") {
        @Override
        int end(String s, int p) {
            if (!pattern(s, p, "dddd.dd.dd") || p + 10 >= s.length()) return -1;
            char sep = s.charAt(p + 10);
            if ((sep != ' ' && sep != '-') || !pattern(s, p + 11, "dd:dd:dd")) return -1;
            return fractionEnd(s, p + 19, '.');
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.local(d(s, p, 4), d(s, p + 5, 2), d(s, p + 8, 2), d(s, p + 11, 2), d(s, p + 14, 2),
                    d(s, p + 17, 2), nanos(s, p + 19, end));
        }
    },
    /** European: {@code 15.01.2026 10:00:00}. */
    DAY_FIRST("dd.MM.yyyy HH:mm:ss") {
        @Override
        int end(String s, int p) {
            return pattern(s, p, "dd.dd.dddd dd:dd:dd") ? fractionEnd(s, p + 19, '.') : -1;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.local(d(s, p + 6, 4), d(s, p + 3, 2), d(s, p, 2), d(s, p + 11, 2), d(s, p + 14, 2),
                    d(s, p + 17, 2), nanos(s, p + 19, end));
        }
    },
    /** HDFS: {@code 081109 203518}. */
    COMPACT_SHORT("yyMMdd HHmmss") {
        @Override
        int end(String s, int p) {
            if (!pattern(s, p, "dddddd dddddd")) return -1;
            int q = p + 13;
            if (q < s.length() && TimestampParser.isDigit(s.charAt(q))) return -1;
            int mo = d(s, p + 2, 2);
            int day = d(s, p + 4, 2);
            return mo >= 1 && mo <= 12 && day >= 1 && day <= 31 && d(s, p + 7, 2) < 24 ? q : -1;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.local(2000 + d(s, p, 2), d(s, p + 2, 2), d(s, p + 4, 2), d(s, p + 7, 2), d(s, p + 9, 2),
                    d(s, p + 11, 2), 0);
        }
    },
    /** RFC 3164, as syslog files write it: {@code Dec 10 06:55:46}, {@code Jul  1 09:00:55}. */
    RFC_3164("MMM dd HH:mm:ss") {
        @Override
        int end(String s, int p) {
            if (TimestampParser.month(s, p) < 0 || p + 3 >= s.length() || s.charAt(p + 3) != ' ') return -1;
            int q = dayAndTime(s, p + 4);
            return q < 0 ? -1 : fractionEnd(s, q, '.');
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.syslog(s, p, end);
        }
    },
    /** Android logcat: {@code 03-17 16:13:38.811}. */
    MONTH_DAY("MM-dd HH:mm:ss.SSS") {
        @Override
        int end(String s, int p) {
            return pattern(s, p, "dd-dd dd:dd:dd") ? fractionEnd(s, p + 14, '.') : -1;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.inferYear(d(s, p, 2), d(s, p + 3, 2), d(s, p + 6, 2), d(s, p + 9, 2), d(s, p + 12, 2),
                    nanos(s, p + 14, end));
        }
    },
    /** Proxifier: {@code 10.30 16:49:06}. */
    DOTTED_MONTH_DAY("MM.dd HH:mm:ss") {
        @Override
        int end(String s, int p) {
            return pattern(s, p, "dd.dd dd:dd:dd") ? fractionEnd(s, p + 14, '.') : -1;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return t.inferYear(d(s, p, 2), d(s, p + 3, 2), d(s, p + 6, 2), d(s, p + 9, 2), d(s, p + 12, 2),
                    nanos(s, p + 14, end));
        }
    },
    /** Milliseconds since 1970, 13 digits, between 2000 and 2100. */
    EPOCH_MILLIS("epoch-millis") {
        @Override
        int end(String s, int p) {
            int q = digitRun(s, p);
            if (q - p != 13) return -1;
            long v = Long.parseLong(s, p, q, 10);
            return v >= 946_684_800_000L && v < 4_102_444_800_000L ? q : -1;
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return Instant.ofEpochMilli(Long.parseLong(s, p, end, 10));
        }
    },
    /** Seconds since 1970, 10 digits (optionally a fraction), between 2001 and 2100. */
    EPOCH_SECONDS("epoch-seconds") {
        @Override
        int end(String s, int p) {
            int q = digitRun(s, p);
            if (q - p != 10) return -1;
            long v = Long.parseLong(s, p, q, 10);
            if (v < 1_000_000_000L || v >= 4_102_444_800L) return -1;
            return fractionEnd(s, q, '.');
        }

        @Override
        Instant read(TimestampParser t, String s, int p, int end) {
            return Instant.ofEpochSecond(Long.parseLong(s, p, p + 10, 10), nanos(s, p + 10, end));
        }
    };

    private final String pattern;

    TimestampShape(String pattern) {
        this.pattern = pattern;
    }

    /** How layouts write the shape: {@code yyMMdd HHmmss}, {@code ISO-8601}, {@code epoch-seconds}. */
    String pattern() {
        return pattern;
    }

    /** The shape written as {@code pattern}, or null. */
    static TimestampShape byPattern(String pattern) {
        for (TimestampShape shape : values()) {
            if (shape.pattern.equals(pattern)) return shape;
        }
        return null;
    }

    /** Where a stamp of this shape starting at {@code p} ends, or -1 when there is none. */
    abstract int end(String s, int p);

    /** The stamp {@code s[p, end)}, found by {@link #end}; null when a field is out of range. */
    abstract Instant read(TimestampParser t, String s, int p, int end);

    /** Whether the instant depends on the text alone (not on a year guessed from the clock). */
    boolean textAlone() {
        return this != RFC_3164 && this != MONTH_DAY && this != DOTTED_MONTH_DAY;
    }

    /**
     * Whether the stamp ends where a field may end: the end of the line, a space, a separator, a bracket, or a colon
     * before a space or the end (Mosquitto's {@code 1764676800: New connection from ...}).
     */
    static boolean endsField(String s, int end) {
        if (end >= s.length()) return true;
        char c = s.charAt(end);
        return c == ' ' || c == '\t' || c == ',' || c == '|' || c == ']' || c == ';' || c == ')'
                || (c == ':' && (end + 1 == s.length() || s.charAt(end + 1) == ' '));
    }

    // "d" is a digit, anything else itself.
    static boolean pattern(String s, int p, String pattern) {
        int n = pattern.length();
        if (p < 0 || p + n > s.length()) return false;
        for (int i = 0; i < n; i++) {
            char want = pattern.charAt(i);
            char c = s.charAt(p + i);
            if (want == 'd' ? !TimestampParser.isDigit(c) : c != want) return false;
        }
        return true;
    }

    // "d HH:mm:ss" or "dd HH:mm:ss" or " d HH:mm:ss" from q; the index after the seconds, or -1.
    private static int dayAndTime(String s, int q) {
        if (q < s.length() && s.charAt(q) == ' ') q++;
        int digits = digitRun(s, q) - q;
        if (digits < 1 || digits > 2) return -1;
        q += digits;
        return pattern(s, q, " dd:dd:dd") ? q + 9 : -1;
    }

    // After an optional separator and digits at q: the end of the fraction, or q when there is none.
    private static int fractionEnd(String s, int q, char separator) {
        if (q < s.length() && (s.charAt(q) == separator || (separator == '.' && s.charAt(q) == ','))) {
            int r = digitRun(s, q + 1);
            return r > q + 1 ? r : q;
        }
        return q;
    }

    private static int digitRun(String s, int p) {
        return TimestampParser.digitsEnd(s, p, s.length());
    }

    private static int d(String s, int p, int n) {
        return TimestampParser.digits(s, p, n);
    }

    // Fraction digits after a separator at p (when there is one) up to end.
    private static int nanos(String s, int p, int end) {
        return end > p + 1 ? TimestampParser.nanos(s, p + 1, end) : 0;
    }

    // "606" after "ss:" is milliseconds whatever its length (HealthApp writes 1 to 3 digits).
    private static int millisLike(String s, int from, int end) {
        int v = 0;
        for (int i = from; i < end && i < from + 3; i++) v = v * 10 + (s.charAt(i) - '0');
        return v * 1_000_000;
    }
}
