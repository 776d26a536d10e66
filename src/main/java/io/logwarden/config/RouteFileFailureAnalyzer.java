package io.logwarden.config;

import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a route file that does not load into a start-up message that names the file and the problem, instead of
 * a page of stack trace. Camel puts the file, line and column in its YAML errors; this finds them in the causes.
 * A routes folder that is not there (the service started from another directory than the one holding
 * {@code routes/}) is said as such.
 */
public class RouteFileFailureAnalyzer implements FailureAnalyzer {

    private static final Pattern FILE = Pattern.compile("(file:[^\\s,]+\\.ya?ml)");

    @Override
    public FailureAnalysis analyze(Throwable rootFailure) {
        for (Throwable t = rootFailure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof NoSuchFileException missing && missing.getFile() != null && fromRoutesCollector(missing)) {
                return new FailureAnalysis("The routes folder " + missing.getFile() + " does not exist: Logwarden reads"
                        + " its routes (routes/), its configuration (config/) and its samples from the directory it is"
                        + " started in, here " + System.getProperty("user.dir") + ".",
                        "Start it from the project root (or the folder that holds routes/ and config/), or point"
                                + " camel.main.routes-include-pattern at your route files.",
                        missing);
            }
        }
        String file = null;
        String problem = null;
        Throwable source = null;
        for (Throwable t = rootFailure; t != null && t.getCause() != t; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null || message.isBlank()) {
                continue;
            }
            Matcher m = FILE.matcher(message);
            if (file == null && m.find()) {
                file = m.group(1).substring("file:".length());
                source = t;
            }
            if (file != null) {
                problem = message.strip(); // the deepest message says what is wrong; outer ones only wrap it
            }
        }
        if (file == null) {
            return null;
        }
        return new FailureAnalysis("The route file " + file + " could not be loaded:\n\n" + problem,
                "Fix the route file (every route needs an id; see README, section Routes), or move it out of the"
                        + " routes folder, then start again.",
                source);
    }

    /** Whether Camel's route loader threw it (another missing file is not a missing routes folder). */
    private static boolean fromRoutesCollector(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            String name = frame.getClassName();
            if (name.startsWith("org.apache.camel.main.") && name.contains("RoutesCollector")) {
                return true;
            }
        }
        return false;
    }
}
