package io.logwarden.pipeline;

import io.logwarden.event.LogText;

import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.logwarden.store.EmbeddedPostgresServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start-up, before any route runs: the jobs a previous process left {@code running} (it was killed, crashed or
 * lost power) become {@code interrupted} with a reason, and what they had written (quarantined records, anomalies,
 * reports) is removed. With the embedded database that is every running job (one process at a time can use it);
 * with a shared server, those of this host ({@code $LOGWARDEN_INSTANCE}, else the host name), since services on
 * other hosts may still be running theirs. Their input is analysed again by a new job: a file is still in the inbox
 * (it moves only once its job is closed), and a database, REST or Kafka source never advanced its watermark.
 */
@Component
class JobRecovery {

    static final String REASON = "interrupted: the Logwarden process running this job stopped before it ended"
            + " (killed, crashed or lost power); what it wrote was removed and its input is analysed again by a new job";

    private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

    private final JobRepository jobs;
    private final TransactionTemplate transaction;
    private final boolean embedded;

    JobRecovery(JobRepository jobs, PlatformTransactionManager transactions,
                ObjectProvider<EmbeddedPostgresServer> embeddedDatabase) {
        this.jobs = jobs;
        // The embedded database is locked to this process: every job still running in it was left by a dead one.
        this.embedded = embeddedDatabase.getIfAvailable() != null;
        this.transaction = new TransactionTemplate(transactions);
    }

    @PostConstruct
    void recover() {
        for (Job job : jobs.leftRunning(embedded)) {
            List<String> reports = transaction.execute(status -> jobs.interrupt(job.id(), REASON));
            for (String report : reports == null ? List.<String>of() : reports) {
                try {
                    Files.deleteIfExists(Path.of(report));
                } catch (IOException | RuntimeException e) {
                    log.warn("Job {}: could not delete its report {}: {}", job.id(), report, e.getMessage());
                }
            }
            log.warn("Job {} ({}) was left running by a stopped process: marked interrupted, what it wrote removed;"
                    + " its input is analysed again", job.id(), LogText.escape(job.input()));
        }
    }
}
