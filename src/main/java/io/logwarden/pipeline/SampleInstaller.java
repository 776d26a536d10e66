package io.logwarden.pipeline;

import io.logwarden.config.IngestProperties;
import io.logwarden.config.ReportProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On the very first start, copies the shipped samples into the inbox so that a new user sees reports within a
 * minute. A marker file remembers that it was done: samples are never copied twice.
 */
@Component
class SampleInstaller implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SampleInstaller.class);
    static final String MARKER = ".samples-installed";

    private final IngestProperties ingest;
    private final ReportProperties reports;

    SampleInstaller(IngestProperties ingest, ReportProperties reports) {
        this.ingest = ingest;
        this.reports = reports;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        Files.createDirectories(ingest.inbox());
        Files.createDirectories(reports.dir());
        log.info("Watching {} for log files; reports are written to {}", ingest.inbox().toAbsolutePath(),
                reports.dir().toAbsolutePath());
        Path marker = ingest.inbox().resolve(MARKER);
        if (!ingest.copySamples() || Files.exists(marker) || !Files.isDirectory(ingest.samples())) {
            return;
        }
        List<Path> samples;
        try (Stream<Path> files = Files.list(ingest.samples())) {
            samples = files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .toList();
        }
        for (Path sample : samples) {
            try {
                // Copy under a hidden name, then rename: the poller never sees a half-written file.
                Path tmp = ingest.inbox().resolve("." + sample.getFileName());
                Files.copy(sample, tmp);
                Files.move(tmp, ingest.inbox().resolve(sample.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException("could not copy sample " + sample + " into " + ingest.inbox(), e);
            }
        }
        Files.writeString(marker, "Samples were copied into this inbox on the first start; delete this file to copy them again.\n");
        log.info("First start: copied {} sample files from {} into the inbox", samples.size(), ingest.samples());
    }
}
