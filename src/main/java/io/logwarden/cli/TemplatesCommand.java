package io.logwarden.cli;

import io.logwarden.detect.OfflineDetection;
import io.logwarden.detect.Template;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.EventBatches;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code templates FILE}: mines every event of the file with the service's miner settings and prints
 * {@code {"line":N,"templateId":"T3","template":"..."}} per event as it goes, so the file is never held. The
 * pattern is the template's as of that event (later events may still generalise it); the id does not change.
 * Every event is mined, invalid ones included: validation is about detection, not about what a line's template is.
 */
final class TemplatesCommand {

    private final Settings settings;
    private final LogInput input;
    private final JsonLines out;
    private final PrintStream err;

    TemplatesCommand(Settings settings, LogInput input, JsonLines out, PrintStream err) {
        this.settings = settings;
        this.input = input;
        this.out = out;
        this.err = err;
    }

    void run(Path file) throws CliError {
        TemplateMiner miner = OfflineDetection.minerConfig(settings.detect().settings()).build();
        try (EventBatches batches = input.open(file)) {
            try {
                while (batches.hasNext()) {
                    for (LogEvent event : batches.next()) {
                        String message = event.message() != null ? event.message() : "";
                        Template template = miner.add(message);
                        Map<String, Object> line = new LinkedHashMap<>(4);
                        line.put("line", event.ref() == null ? -1 : event.ref().line());
                        line.put("templateId", template.id());
                        line.put("template", template.pattern());
                        out.write(line);
                    }
                }
            } catch (RuntimeException e) {
                throw LogInput.readError(file, e);
            }
            String warnings = batches.summary().warnings();
            if (!warnings.isEmpty()) {
                err.println("logwarden: " + file + ": " + warnings);
            }
        } catch (IOException e) {
            throw LogInput.readError(file, e);
        }
    }
}
