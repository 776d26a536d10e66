package io.logwarden.job;

import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import jakarta.annotation.PostConstruct;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start-up, before any route runs: the jobs this host's previous process left {@code running} (it was killed,
 * crashed or lost power) become {@code interrupted} with a reason, and what they had written (quarantined records,
 * anomalies, reports) is removed. Their input is analysed again by a new job: a file is still in the inbox (it
 * moves only once its job is closed), and a database, REST or Kafka source never advanced its watermark.
 */
@Component
class JobRecovery {

    static final String REASON = "interrupted: the Logwarden process running this job stopped before it ended"
            + " (killed, crashed or lost power); what it wrote was removed and its input is analysed again by a new job";

    private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

    private final JobRepository jobs;
    private final TransactionTemplate transaction;

    JobRecovery(JobRepository jobs, PlatformTransactionManager transactions) {
        this.jobs = jobs;
        this.transaction = new TransactionTemplate(transactions);
    }

    @PostConstruct
    void recover() {
        for (Job job : jobs.leftRunning()) {
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
