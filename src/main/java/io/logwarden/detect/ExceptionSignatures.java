package io.logwarden.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exception class names in an event's text (Java, Python, .NET style: a dotted or plain name ending in Exception or
 * Error, optionally followed by a colon), outermost first, without duplicates. On-call engineers search by them.
 */
final class ExceptionSignatures {

    private static final Pattern NAME = Pattern.compile(
            "\\b((?:[a-zA-Z_$][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error|Fault))\\b(?=[:\\s]|$)");

    private ExceptionSignatures() {
    }

    static List<String> of(String text) {
        if (text == null || (!text.contains("Exception") && !text.contains("Error") && !text.contains("Fault"))) {
            return List.of(); // the cheap test keeps the regex off ordinary lines
        }
        List<String> names = new ArrayList<>(2);
        Matcher m = NAME.matcher(text);
        while (m.find() && names.size() < 5) {
            String name = m.group(1);
            if (!names.contains(name) && !name.equals("Error") && !name.equals("Exception")) {
                names.add(name);
            }
        }
        return names;
    }
}
