package io.logwarden.ingest;

import java.time.Duration;
import java.util.List;

/**
 * What reading one file amounted to; complete once the batches are exhausted.
 *
 * @param file                     the file as given
 * @param format                   the format used, as {@link LogFormat#description()} shows it (an inferred layout
 *                                 in full)
 * @param gzip                     whether the file was gzip-compressed (told by its magic bytes)
 * @param bytes                    bytes read from the file so far (compressed bytes for gzip), for progress
 * @param lines                    lines read, blank ones included
 * @param blankLines               blank lines, skipped
 * @param events                   events produced
 * @param foldedLines              continuation lines folded into the event before them
 * @param unparsedLines            lines that matched no format and continued nothing (events with {@code parse.error})
 * @param firstUnparsedLine        the first such line, 0 if none
 * @param invalidEncodingLines     lines with invalid UTF-8, decoded with U+FFFD replacements
 * @param firstInvalidEncodingLine the first such line, 0 if none
 * @param oversizeLines            lines over the length limit (events with {@code size.error})
 * @param finished                 whether the end of the file was reached
 * @param elapsed                  time spent so far
 * @param oddities                 other odd things in the input, one sentence each with its count and first line
 *                                 (untimed lines, timestamps going backwards, a header change, ...)
 */
public record ReadSummary(
        String file,
        String format,
        boolean gzip,
        long bytes,
        long lines,
        long blankLines,
        long events,
        long foldedLines,
        long unparsedLines,
        long firstUnparsedLine,
        long invalidEncodingLines,
        long firstInvalidEncodingLine,
        long oversizeLines,
        boolean finished,
        Duration elapsed,
        List<String> oddities) {

    public ReadSummary {
        oddities = oddities == null ? List.of() : List.copyOf(oddities);
    }

    /**
     * Reading problems worth telling the user about, one sentence each, or an empty string: invalid UTF-8,
     * cut lines, lines that matched no format, then the {@link #oddities()}.
     */
    public String warnings() {
        StringBuilder text = new StringBuilder();
        encodingWarnings(text, invalidEncodingLines, firstInvalidEncodingLine, oversizeLines);
        if (unparsedLines > 0) {
            text.append(unparsedLines).append(unparsedLines == 1 ? " line" : " lines")
                    .append(" did not match format ").append(format).append(" (first: line ").append(firstUnparsedLine)
                    .append("). ");
        }
        for (String oddity : oddities) {
            text.append(Character.toUpperCase(oddity.charAt(0))).append(oddity.substring(1)).append(". ");
        }
        return text.toString().trim();
    }

    /** The sentences about the bytes of the lines (invalid UTF-8, cut lines), each followed by a space. */
    static void encodingWarnings(StringBuilder text, long invalidLines, long firstInvalidLine, long oversizeLines) {
        if (invalidLines > 0) {
            text.append(invalidLines).append(invalidLines == 1 ? " line" : " lines")
                    .append(" with invalid UTF-8, decoded with replacement characters (first: line ")
                    .append(firstInvalidLine).append("). ");
        }
        if (oversizeLines > 0) {
            text.append(oversizeLines).append(oversizeLines == 1 ? " line was" : " lines were")
                    .append(" over the length limit and cut. ");
        }
    }
}
