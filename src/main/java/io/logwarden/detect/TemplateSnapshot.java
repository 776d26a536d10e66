package io.logwarden.detect;

import java.util.List;
import java.util.Objects;

/**
 * Persistable state of one {@link Template}: what {@link TemplateMiner#snapshot()} returns and
 * {@link TemplateMiner#restore(TemplateMiner.Builder, List)} reads back.
 *
 * @param id          the template id ({@code "T" + sequence})
 * @param pattern     tokens joined with a single space, parameters as {@code <*>}
 * @param count       number of messages that joined the template
 * @param previousIds ids of templates merged into this one, oldest merge first
 */
public record TemplateSnapshot(String id, String pattern, long count, List<String> previousIds) {

    public TemplateSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pattern, "pattern");
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        previousIds = previousIds == null ? List.of() : List.copyOf(previousIds);
    }
}
