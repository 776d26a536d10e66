package io.logwarden.event;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How long a suppression rule lasts, written the same way everywhere (the API's status call, {@code /api/v1/suppressions},
 * the dashboard and the {@code feedback} command): an ISO-8601 duration ({@code PT12H}, {@code P7D}, {@code P2W}, weeks
 * being 7 days) or a short form ({@code 30m}, {@code 12h}, {@code 7d}, {@code 2w}). Blank or {@code forever}: for good.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * @return the duration, or null for good (blank or {@code forever})
     * @throws IllegalArgumentException naming the accepted forms, for anything else or a duration that is not positive
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("forever")) {
            return null;
        }
        String t = text.strip().toUpperCase(Locale.ROOT);
        Duration d = t.startsWith("P") ? iso(t) : shortForm(t);
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a duration such as P7D, PT12H, 7d, 12h or 2w (or forever) was expected,"
                    + " got '" + text.strip() + "'");
        }
        return d;
    }

    private static Duration iso(String t) {
        try {
            return Duration.parse(t);
        } catch (DateTimeParseException e) {
            try {
                Period period = Period.parse(t);
                return period.toTotalMonths() == 0 ? Duration.ofDays(period.getDays()) : null;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static Duration shortForm(String t) {
        if (t.length() < 2 || !t.substring(0, t.length() - 1).chars().allMatch(Character::isDigit)) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        return switch (t.charAt(t.length() - 1)) {
            case 'M' -> Duration.ofMinutes(n);
            case 'H' -> Duration.ofHours(n);
            case 'D' -> Duration.ofDays(n);
            case 'W' -> Duration.ofDays(7 * n);
            default -> null;
        };
    }
}
