package io.logwarden.detect;

import io.logwarden.event.AsciiClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exception class names in an event's text (Java, Python, .NET style: a dotted or plain name ending in Exception or
 * Error, optionally followed by a colon), outermost first, without duplicates. On-call engineers search by them.
 *
 * <p>A name is made of letters, digits, {@code _}, {@code $} and dots only, so every match of {@link #NAME} lies within
 * one run of those characters, and only a run holding one of the three endings can hold one. The expression is run on
 * those runs alone (its word boundaries and look-ahead still seeing the characters around them): the same names as
 * over the whole text, without trying the expression at every word of a long stack trace.
 */
final class ExceptionSignatures {

    static final Pattern NAME = Pattern.compile(
            "\\b((?:[a-zA-Z_$][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error|Fault))\\b(?=[:\\s]|$)");
    private static final String[] ENDINGS = {"Exception", "Error", "Fault"};
    private static final int MAX_NAMES = 5;

    private ExceptionSignatures() {
    }

    static List<String> of(String text) {
        if (text == null) {
            return List.of();
        }
        int first = firstEnding(text, 0);
        if (first < 0) {
            return List.of(); // the cheap test keeps the expression off ordinary lines
        }
        List<String> names = new ArrayList<>(2);
        Matcher m = NAME.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        for (int at = first; at >= 0 && names.size() < MAX_NAMES; ) {
            int start = at;
            while (start > 0 && isNameChar(text.charAt(start - 1))) start--;
            int end = at;
            while (end < text.length() && isNameChar(text.charAt(end))) end++;
            m.region(start, end);
            while (m.find() && names.size() < MAX_NAMES) {
                String name = m.group(1);
                if (!names.contains(name) && !name.equals("Error") && !name.equals("Exception")) {
                    names.add(name);
                }
            }
            at = firstEnding(text, end);
        }
        return names;
    }

    /** Where the next of the endings starts at or after {@code from}, or -1. */
    private static int firstEnding(String text, int from) {
        int first = -1;
        for (String ending : ENDINGS) {
            int i = text.indexOf(ending, from);
            if (i >= 0 && (first < 0 || i < first)) first = i;
        }
        return first;
    }

    /** What a name can be made of: {@code [\w$.]}, looked up without a branch (see {@link AsciiClasses}). */
    private static final byte[] NAME_CHARS = new byte[128];

    static {
        AsciiClasses.mark(NAME_CHARS, AsciiClasses.LETTERS + AsciiClasses.DIGITS + "_$.", 1);
    }

    private static boolean isNameChar(char c) {
        return AsciiClasses.of(NAME_CHARS, c) != 0;
    }
}
