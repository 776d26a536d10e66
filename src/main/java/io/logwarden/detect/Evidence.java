package io.logwarden.detect;

import io.logwarden.event.LogEvent;
import java.time.Instant;

/**
 * One line of evidence and where it came from.
 *
 * @param ref       file:line, row key or cursor
 * @param timestamp when it happened
 * @param level     its level
 * @param text      the raw text, cut at {@link #MAX_CHARS}
 * @param templateId the template the line belongs to, when known: an anomaly shows one line per template
 */
public record Evidence(String ref, Instant timestamp, String level, String text, String templateId) {

    public Evidence(String ref, Instant timestamp, String level, String text) {
        this(ref, timestamp, level, text, null);
    }

    /** Evidence is for people to read: a stack trace's head is enough, a megabyte line is not. */
    static final int MAX_CHARS = 4000;

    static Evidence of(LogEvent event, String templateId) {
        String raw = event.raw() == null ? event.message() : event.raw();
        if (raw.length() > MAX_CHARS) {
            raw = raw.substring(0, MAX_CHARS) + " … [" + (raw.length() - MAX_CHARS) + " more characters]";
        }
        return new Evidence(event.ref() == null ? null : event.ref().toString(), event.timestamp(),
                event.level().name(), raw, templateId);
    }
}
