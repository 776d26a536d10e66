package io.logwarden.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logwarden.store.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Sources written in YAML only: the CSV export example in routes/examples/ (a folder of exports, each one job), and
 * what a route that forgets to open its job is told.
 */
class YamlOnlySourceTest extends SourcesTestSupport {

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;

    @Test
    void aCsvExportDroppedIntoItsFolderIsAnalyzedAsOneJob() throws Exception {
        Path folder = Files.createDirectories(DIR.resolve("csv-exports"));
        StringBuilder csv = new StringBuilder("time,severity,service,host,user,message\n");
        Instant t0 = Instant.parse("2026-06-01T09:00:00Z");
        for (int i = 0; i < 1200; i++) { // two batches: 1000 rows and 200
            String time = i == 1100 ? "not a time" : t0.plusSeconds(15L * i).toString();
            csv.append(time).append(',').append(i % 9 == 0 ? "WARN" : "INFO").append(",billing,bill-").append(i % 3)
                    .append(",u").append(i % 5).append(",\"invoice ").append(4000 + i).append(" sent, ").append(i * 2)
                    .append(" ms\"\n");
        }
        // Done when the file's exchange has been sent to direct:finish-job and is done.
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("example-csv-export").wereSentTo("direct:finish-job")
                .whenDone(1).create();
        Files.writeString(folder.resolve(".export.tmp"), csv);
        Files.move(folder.resolve(".export.tmp"), folder.resolve("billing-export.csv"));
        assertThat(done.matches(30, TimeUnit.SECONDS)).as("the CSV route finished").isTrue();

        // The job is closed in the same exchange; its last write may still be committing.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> jobs.recent(100).stream()
                .anyMatch(j -> j.source().equals("csv-export") && !j.status().equals(Job.RUNNING)));
        Job job = jobs.recent(100).stream().filter(j -> j.source().equals("csv-export")).findFirst().orElseThrow();
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(job.trigger()).isEqualTo("file");
        assertThat(job.eventsParsed()).isEqualTo(1199);
        assertThat(job.eventsQuarantined()).isEqualTo(1); // the row without a readable time, kept with its reason
        assertThat(jdbc.sql("select reason from quarantine where job_id = :id").param("id", job.id())
                .query(String.class).single()).containsIgnoringCase("timestamp");
        // Its record number in the export, counted across the split's batches
        assertThat(jdbc.sql("select line from quarantine where job_id = :id").param("id", job.id())
                .query(Long.class).single()).isEqualTo(1101L);
        assertThat(jdbc.sql("select count(*) from reports where job_id = :id").param("id", job.id())
                .query(Long.class).single()).isEqualTo(2);
        try (var done2 = Files.walk(folder.resolve(".done"))) {
            assertThat(done2.filter(p -> p.getFileName().toString().equals("billing-export.csv"))).hasSize(1);
        }
    }

    @Test
    void aBatchSentWithoutAJobIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> producer.sendBody("direct:analyze", List.of(Map.of("ts", "2026-06-01T09:00:00Z"))))
                .isInstanceOf(CamelExecutionException.class)
                .rootCause().hasMessageContaining("without a job")
                .hasMessageContaining("start('<source name>', *)");
    }

    @Test
    void recordsWithoutAMappingAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> producer.sendBodyAndHeader("direct:analyze", List.of(Map.of("ts", "x")),
                "logwardenJobId", 1L))
                .rootCause().hasMessageContaining("without the header logwardenMapping");
    }
}
