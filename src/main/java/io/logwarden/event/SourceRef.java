package io.logwarden.event;

/**
 * Where an event came from, so that every piece of evidence can be traced back: a file and line, a
 * database row key, an API page cursor or a Kafka partition and offset.
 *
 * @param origin the file path, table, URL or topic
 * @param line   1-based line number in a file (the first line of a multi-line event), or -1
 * @param key    row key, page cursor or partition/offset; null for files
 */
public record SourceRef(String origin, long line, String key) {

    public static SourceRef fileLine(String file, long line) {
        return new SourceRef(file, line, null);
    }

    @Override
    public String toString() {
        if (key != null) {
            return origin + "#" + key;
        }
        return line > 0 ? origin + ":" + line : origin;
    }
}
