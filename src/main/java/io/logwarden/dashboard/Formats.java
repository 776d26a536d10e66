package io.logwarden.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages print times, durations and counts (called from the templates as {@code fmt.*}). */
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    public String time(Instant instant) {
        return instant == null ? "—" : TIME.format(instant);
    }

    /** For a {@code <time datetime>} attribute. */
    public String iso(Instant instant) {
        return instant == null ? "" : ISO.format(instant);
    }

    /** From start to end, or to now while it runs. */
    public String duration(Instant start, Instant end) {
        if (start == null) {
            return "—";
        }
        return duration(Duration.between(start, end == null ? Instant.now() : end));
    }

    public String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 1) {
            return Math.max(0, d.toMillis()) + " ms";
        }
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    public String count(Number n) {
        return n == null ? "—" : String.format(Locale.ROOT, "%,d", n.longValue());
    }

    public String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    public String decimal(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
