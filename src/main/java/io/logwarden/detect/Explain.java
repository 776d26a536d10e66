package io.logwarden.detect;

import java.util.Locale;
import java.util.regex.Pattern;

/** Numbers as an on-call engineer reads them: "20 s", "4 min", "6 a minute", "usually 0–2". */
final class Explain {

    private Explain() {
    }

    static String duration(long millis) {
        if (millis < 1_000) return millis + " ms";
        long s = Math.round(millis / 1000.0);
        if (s < 120) return s + " s";
        if (s < 2 * 3600) return trim(s / 60.0) + " min";
        if (s < 2 * 86_400) return trim(s / 3600.0) + " h";
        return trim(s / 86_400.0) + " days";
    }

    /** "a minute", "a second", "an hour", or "per 5 s": how a count per window reads. */
    static String per(long windowMillis) {
        if (windowMillis == 1_000) return "a second";
        if (windowMillis == 60_000) return "a minute";
        if (windowMillis == 3_600_000) return "an hour";
        return "per " + duration(windowMillis);
    }

    /** Events per second, minute or hour, whichever reads best. */
    static String rate(double events, long millis) {
        if (millis <= 0) return events + " events";
        double perSecond = events * 1000.0 / millis;
        if (perSecond >= 1) return trim(perSecond) + " a second";
        if (perSecond * 60 >= 1) return trim(perSecond * 60) + " a minute";
        return trim(perSecond * 3600) + " an hour";
    }

    /** "usually 0–2" (the baseline's median to its 90th percentile), or "usually 3". */
    static String usual(RobustBaseline baseline) {
        long low = (long) Math.floor(baseline.median());
        long high = (long) Math.ceil(Math.max(baseline.p90(), baseline.median()));
        return low == high ? "usually " + low : "usually " + low + "–" + high;
    }

    static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    static String percent(double share) {
        double p = 100 * share;
        if (p > 0 && p < 1) return "<1 %";
        return Math.round(p) + " %";
    }

    static String plural(long n, String one) {
        return n + " " + (n == 1 ? one : one.endsWith("s") ? one + "es" : one + "s");
    }

    /**
     * A text on one line, cut to {@code max} characters. A pattern too long for it first loses the middle of its
     * lists of values ({@code {<*>), <*>), <*>), <*>)}} of a Kerberos ticket's eight cipher types becomes
     * {@code {<*>), … <*>)}}), so that the words after a list, which tell one message from another, are kept.
     */
    static String shorten(String text, int max) {
        if (text == null) return "";
        String oneLine = text.replace('\n', ' ');
        if (oneLine.length() > max && oneLine.contains("<*>")) {
            oneLine = VALUE_LIST.matcher(oneLine).replaceAll("$1… $2");
        }
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }

    /** Three or more values in a row, each with the same punctuation and a space after it ({@code <*>, <*>, <*>}). */
    private static final Pattern VALUE_LIST = Pattern.compile("(<\\*>[^\\w\\s<]{1,3} )\\1+(<\\*>)");

    private static String trim(double value) {
        return value >= 10 || value == Math.rint(value) ? String.valueOf(Math.round(value))
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
