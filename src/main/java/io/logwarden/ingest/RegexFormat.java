package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user-defined format: a regular expression that must match the whole line, with named groups
 * {@code timestamp}, {@code level}, {@code message}, {@code service} and {@code host}; other named groups
 * become attributes. Without a {@code message} group the whole line is the message. The timestamp is read
 * with the given {@link DateTimeFormatter} pattern when there is one (a pattern without a year gets the
 * syslog year inference, one without a zone the default zone), otherwise with the built-in parser.
 */
public final class RegexFormat implements LogFormat {

    private static final Set<String> ROLES = Set.of("timestamp", "level", "message", "service", "host");
    private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private final String name;
    private final Pattern pattern;
    private final List<String> attributeGroups;
    private final boolean hasTimestamp;
    private final boolean hasLevel;
    private final boolean hasMessage;
    private final boolean hasService;
    private final boolean hasHost;
    private final DateTimeFormatter formatter;
    private final TimestampParser timestamps;
    /** The last stamp read with the pattern: {@link DateTimeFormatter#parse} is the dearest step of a line. */
    private final LastStamp lastStamp = new LastStamp();

    /** A format reading zone-less stamps in UTC, with the system clock for year inference. */
    public RegexFormat(String name, String regex, String timestampPattern) {
        this(name, regex, timestampPattern, new TimestampParser(ZoneOffset.UTC, Clock.systemUTC()));
    }

    /**
     * @throws IllegalArgumentException when the name is blank, the regex does not compile or the timestamp
     *                                  pattern is invalid; the message names the format
     */
    public RegexFormat(String name, String regex, String timestampPattern, TimestampParser timestamps) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a user format needs a name (regex: " + regex + ")");
        }
        this.name = name;
        this.timestamps = timestamps;
        try {
            this.pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("format '" + name + "': invalid regex: " + e.getDescription()
                    + " near index " + e.getIndex() + " in " + regex, e);
        }
        List<String> groups = groupNames(regex);
        this.hasTimestamp = groups.contains("timestamp");
        this.hasLevel = groups.contains("level");
        this.hasMessage = groups.contains("message");
        this.hasService = groups.contains("service");
        this.hasHost = groups.contains("host");
        List<String> others = new ArrayList<>();
        for (String group : groups) {
            if (!ROLES.contains(group)) others.add(group);
        }
        this.attributeGroups = List.copyOf(others);
        if (timestampPattern == null || timestampPattern.isBlank()) {
            this.formatter = null;
        } else {
            try {
                this.formatter = DateTimeFormatter.ofPattern(timestampPattern, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("format '" + name + "': invalid timestamp pattern '"
                        + timestampPattern + "': " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        Matcher m = pattern.matcher(line);
        if (!m.matches()) return null;
        Map<String, String> attributes = new Attributes(4);
        for (String group : attributeGroups) {
            String value = group(m, group);
            if (value != null) attributes.put(group, value);
        }
        Instant timestamp = null;
        if (hasTimestamp) {
            String text = group(m, "timestamp");
            if (text != null) {
                timestamp = formatter == null ? timestamps.parse(text) : withPattern(text);
                if (timestamp == null) attributes.put("timestamp.raw", text);
            }
        }
        String message = hasMessage ? group(m, "message") : null;
        return new LogEvent(source, timestamp, hasLevel ? Level.parse(group(m, "level")) : Level.UNKNOWN,
                hasService ? group(m, "service") : null, hasHost ? group(m, "host") : null,
                message == null ? line : message, attributes, line, ref);
    }

    private Instant withPattern(String text) {
        Instant seen = lastStamp.get(text, 0, text.length());
        if (seen != null) return seen;
        try {
            TemporalAccessor t = formatter.parse(text.trim());
            if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
                Instant instant = Instant.from(t);
                lastStamp.put(text, 0, text.length(), instant);
                return instant;
            }
            LocalTime time = t.query(TemporalQueries.localTime());
            if (time == null) time = LocalTime.MIDNIGHT;
            ZoneId zone = t.query(TemporalQueries.zone());
            LocalDate date = t.query(TemporalQueries.localDate());
            if (date == null) {
                if (!t.isSupported(ChronoField.MONTH_OF_YEAR) || !t.isSupported(ChronoField.DAY_OF_MONTH)) return null;
                Instant inferred = timestamps.inferYear(t.get(ChronoField.MONTH_OF_YEAR), t.get(ChronoField.DAY_OF_MONTH),
                        time.getHour(), time.getMinute(), time.getSecond(), time.getNano());
                return inferred;
            }
            Instant instant = LocalDateTime.of(date, time).atZone(zone != null ? zone : timestamps.defaultZone()).toInstant();
            lastStamp.put(text, 0, text.length(), instant);
            return instant;
        } catch (DateTimeParseException e) {
            return null;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String group(Matcher m, String group) {
        try {
            return m.group(group);
        } catch (IllegalArgumentException e) {
            return null; // a "(?<x>" inside a character class or quote is not a group
        }
    }

    // Java 17 has no Pattern.namedGroups(): find "(?<name>" that is not escaped.
    private static List<String> groupNames(String regex) {
        List<String> names = new ArrayList<>();
        Matcher m = GROUP_NAME.matcher(regex);
        while (m.find()) {
            int backslashes = 0;
            for (int i = m.start() - 1; i >= 0 && regex.charAt(i) == '\\'; i--) backslashes++;
            if (backslashes % 2 == 0 && !names.contains(m.group(1))) names.add(m.group(1));
        }
        return names;
    }
}
