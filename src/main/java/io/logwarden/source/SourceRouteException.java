package io.logwarden.source;

import io.logwarden.event.LogText;
import java.util.List;

/**
 * A configured source whose route could not be made from its template ({@code routes/sources/}): start-up stops with
 * every such source named ({@link SourceRouteFailureAnalyzer} prints it without the stack trace).
 */
public class SourceRouteException extends IllegalStateException {

    private final List<String> failures;

    SourceRouteException(List<String> failures) {
        super(String.join("; ", failures));
        this.failures = List.copyOf(failures);
    }

    /** One line per source: kind, name, template, route and Camel's reason. */
    public List<String> failures() {
        return failures;
    }

    /**
     * The deepest message of a failure (Camel wraps the reason, an unknown bean or a bad expression, several times), on
     * one line, with the secrets of any endpoint URL in it masked.
     */
    static String reason(Throwable failure) {
        String reason = failure.toString();
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage().strip();
            }
        }
        return LogText.maskSecrets(reason.replaceAll("\\s*\\R\\s*", " "));
    }
}
