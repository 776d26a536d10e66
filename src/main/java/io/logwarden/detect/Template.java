package io.logwarden.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A log template mined by {@link TemplateMiner}: constant tokens plus {@code <*>} for parameters.
 *
 * <p>This is a live view owned by its miner: {@link #pattern()} and {@link #count()} change as
 * the miner sees more messages, under the miner's (caller-provided) serialisation. Use
 * {@link TemplateMiner#snapshot()} for an immutable copy.
 */
public final class Template {

    private final String id;
    /** Package-private: the miner generalises tokens in place. */
    String[] tokens;
    long count;
    private final List<String> previousIds;
    private String pattern;
    /**
     * Positions that became {@code <*>} because messages had different words there (null: none yet). A word
     * in a message agrees with such a position; at a position masked because its values held digits, only a
     * masked value agrees, so a template of masked numbers does not take in every message of its length.
     */
    boolean[] wordSlots;
    /**
     * Per position, the constant token that was there before the position became a parameter (null where it never
     * was one, or for a restored template); later values there must have its punctuation frame. Null until the
     * first position generalises. Owned by {@link TemplateMiner}.
     */
    String[] frames;

    Template(String id, String[] tokens, long count, List<String> previousIds) {
        this.id = id;
        this.tokens = tokens;
        this.count = count;
        this.previousIds = new ArrayList<>(previousIds);
    }

    /** Stable id, {@code "T" + sequence}; kept when the pattern generalises and across restore. */
    public String id() {
        return id;
    }

    /** Tokens joined with a single space; parameters appear as {@code <*>}. */
    public String pattern() {
        String p = pattern;
        if (p == null) {
            p = String.join(" ", tokens);
            pattern = p;
        }
        return p;
    }

    /** Number of messages that joined this template (including those counted before a restore). */
    public long count() {
        return count;
    }

    /**
     * Ids of templates merged into this one, oldest merge first (unmodifiable view). The miner
     * never needs to merge (templates generalise in place), so this is the history restored from
     * a snapshot, kept stable; empty for templates mined from scratch.
     */
    public List<String> previousIds() {
        return Collections.unmodifiableList(previousIds);
    }

    void patternChanged() {
        pattern = null;
    }

    TemplateSnapshot toSnapshot() {
        return new TemplateSnapshot(id, pattern(), count, previousIds);
    }

    @Override
    public String toString() {
        return id + "[" + count + "] " + pattern();
    }
}
