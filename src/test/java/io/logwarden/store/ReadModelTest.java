package io.logwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.logwarden.TestDirs;
import io.logwarden.config.IngestProperties;
import io.logwarden.config.ReportProperties;
import io.logwarden.config.SourcesProperties;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.Detector;
import io.logwarden.detect.Enrichment;
import io.logwarden.detect.Evidence;
import io.logwarden.detect.TemplateSnapshot;
import io.logwarden.event.AnomalyStatusChanged;
import io.logwarden.event.AnomalyStatusChanged.Feedback;
import io.logwarden.event.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The read model the API and the dashboard share, on a real (embedded) PostgreSQL with the real migrations. */
class ReadModelTest {

    static final Path DIR = TestDirs.create("read-model");
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static EmbeddedPostgresServer server;
    static PGSimpleDataSource ds;
    static ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    static JobRepository jobs;
    static AnomalyRepository anomalies;
    static AnomalyQueries queries;
    static List<Object> published = new ArrayList<>();
    static AnomalyStatusService status;
    static JobQueries jobQueries;
    static ReportFiles reportFiles;
    static long job1;
    static long job2;

    @BeforeAll
    static void database() throws Exception {
        server = EmbeddedPostgresServer.start(DIR.resolve("postgres"), DIR.resolve("postgres-password"), 0, false);
        ds = new PGSimpleDataSource();
        ds.setUrl(server.jdbcUrl());
        ds.setUser(server.user());
        ds.setPassword(server.password());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcClient client = JdbcClient.create(ds);
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(ds);
        jobs = new JobRepository(client);
        anomalies = new AnomalyRepository(new JdbcTemplate(ds), json);
        queries = new AnomalyQueries(named, json);
        status = new AnomalyStatusService(client, new TransactionTemplate(new DataSourceTransactionManager(ds)),
                published::add, queries);
        reportFiles = new ReportFiles(named, bind("logwarden.report", Map.of("logwarden.report.dir",
                DIR.resolve("reports").toString()), ReportProperties.class));
        jobQueries = new JobQueries(named, anomalies, reportFiles);

        job1 = jobs.start("app", "file", "app.log", 1000L);
        jobs.progress(job1, "app", 100, 98, 2, 1000);
        List<Anomaly> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // Ten share one timestamp: paging must still be stable.
            Instant at = T0.plusSeconds(60L * (i < 10 ? 0 : i));
            Severity sev = i % 4 == 0 ? Severity.CRITICAL : i % 4 == 1 ? Severity.HIGH : i % 4 == 2 ? Severity.MEDIUM : Severity.LOW;
            first.add(anomaly("app", i % 2 == 0 ? Detector.FREQUENCY_SPIKE : Detector.ERROR_BURST, 50 + (i % 7), sev, at,
                    "T" + i, "order <*> failed " + i + (i == 7 ? " 100%_off" : "")));
        }
        anomalies.saveAll(job1, first);
        jobs.succeed(job1, 30, null);
        job2 = jobs.start("orders-db", "schedule", "orders-db", null);
        anomalies.saveAll(job2, List.of(anomaly("orders-db", Detector.NEW_TEMPLATE, 95, Severity.CRITICAL,
                T0.plusSeconds(7200), "N1", "payment gateway timeout")
                .withEnrichment(new Enrichment("enriched", null, "Gateway timeouts", "The gateway is down",
                        List.of("Check the gateway"), 5, "llama3:8b", false))));
    }

    static Anomaly anomaly(String source, Detector detector, double score, Severity severity, Instant at, String templateId,
                           String title) {
        return new Anomaly(source, detector, score, severity, at, at.plusSeconds(60), templateId, "order <*> failed",
                title, "explained " + title, 1, 10, List.of(new Anomaly.Contributor(templateId, "order <*> failed", 10)),
                List.of(new Evidence("app.log:" + (int) score, at, "ERROR", "order 17 failed", templateId)), null,
                List.of(new Anomaly.Influencer("client", "10.0.0.7", 9, 10, 0.1)), List.of(), "z=5.0");
    }

    static <T> T bind(String prefix, Map<String, String> values, Class<T> type) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theRunningJobsGaugeCountsThisInstancesRunningJobs() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        JobRepository counted = new JobRepository(JdbcClient.create(ds));
        counted.setMetrics(new LogwardenMetrics(registry));
        // job1 succeeded, job2 is still running
        assertThat(registry.get("logwarden.jobs.running").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void cursorPagesVisitEveryAnomalyOnceInOrderWhateverTheSort() {
        for (AnomalySort sort : AnomalySort.values()) {
            List<AnomalySummary> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                AnomalyPage page = queries.search(AnomalyFilter.all(), sort, cursor, 7);
                seen.addAll(page.items());
                cursor = page.nextCursor();
                pages++;
            } while (cursor != null);
            assertThat(pages).as(sort.id()).isEqualTo(5); // 31 rows by 7
            assertThat(seen).as(sort.id()).hasSize(31);
            assertThat(new HashSet<>(seen.stream().map(AnomalySummary::id).toList())).hasSize(31);
            List<AnomalySummary> all = queries.search(AnomalyFilter.all(), sort, null, 100).items();
            assertThat(seen).isEqualTo(all);
        }
        List<AnomalySummary> newest = queries.search(AnomalyFilter.all(), AnomalySort.NEWEST, null, 100).items();
        assertThat(newest.get(0).source()).isEqualTo("orders-db");
        for (int i = 1; i < newest.size(); i++) {
            assertThat(newest.get(i).occurredAt()).isBeforeOrEqualTo(newest.get(i - 1).occurredAt());
        }
        List<AnomalySummary> byScore = queries.search(AnomalyFilter.all(), AnomalySort.SCORE, null, 100).items();
        assertThat(byScore.get(0).score()).isEqualTo(95);
    }

    @Test
    void aCursorStaysValidWhenNewerAnomaliesArrive() {
        AnomalyPage first = queries.search(new AnomalyFilter(null, Set.of("app"), null, null, null, null, null, null),
                AnomalySort.NEWEST, null, 10);
        long jobLater = jobs.start("app", "file", "later.log", null);
        anomalies.saveAll(jobLater, List.of(anomaly("app", Detector.DROP, 60, Severity.MEDIUM, T0.plusSeconds(99_999),
                "D1", "late arrival")));
        try {
            AnomalyPage second = queries.search(new AnomalyFilter(null, Set.of("app"), null, null, null, null, null, null),
                    AnomalySort.NEWEST, first.nextCursor(), 10);
            assertThat(second.items()).extracting(AnomalySummary::id).doesNotContainAnyElementsOf(
                    first.items().stream().map(AnomalySummary::id).toList());
            assertThat(second.items().get(0).occurredAt()).isBeforeOrEqualTo(first.items().get(9).occurredAt());
        } finally {
            JdbcClient.create(ds).sql("delete from jobs where id = :id").param("id", jobLater).update();
        }
    }

    @Test
    void filtersCombine() {
        assertThat(queries.count(AnomalyFilter.all())).isEqualTo(31);
        AnomalyFilter critical = new AnomalyFilter(Set.of("CRITICAL"), null, null, null, null, null, null, null);
        assertThat(queries.count(critical)).isEqualTo(9); // 8 of app + 1 of orders-db
        assertThat(queries.count(new AnomalyFilter(Set.of("CRITICAL"), Set.of("app"), Set.of("frequency-spike"), Set.of("open"),
                null, null, null, null))).isEqualTo(8);
        assertThat(queries.count(new AnomalyFilter(null, null, null, null, T0.plusSeconds(60 * 10), T0.plusSeconds(60 * 12),
                null, null))).isEqualTo(2);
        // q is text, not a pattern: % and _ match themselves only.
        assertThat(queries.search(new AnomalyFilter(null, null, null, null, null, null, "100%_OFF", null),
                AnomalySort.NEWEST, null, 10).items()).extracting(AnomalySummary::templateId).containsExactly("T7");
        assertThat(queries.count(new AnomalyFilter(null, null, null, null, null, null, "%order", null))).isZero();
        assertThat(queries.count(AnomalyFilter.ofJob(job2))).isEqualTo(1);
        assertThat(queries.countBySeverity(AnomalyFilter.all())).containsEntry("CRITICAL", 9L).containsEntry("LOW", 7L);
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> queries.search(new AnomalyFilter(Set.of("SEVERE"), null, null, null, null, null, null, null),
                AnomalySort.NEWEST, null, 10)).isInstanceOfSatisfying(InvalidParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("severity"));
        assertThatThrownBy(() -> queries.search(AnomalyFilter.all(), AnomalySort.NEWEST, "not-a-cursor", 10))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("cursor"));
        String scoreCursor = queries.search(AnomalyFilter.all(), AnomalySort.SCORE, null, 2).nextCursor();
        assertThatThrownBy(() -> queries.search(AnomalyFilter.all(), AnomalySort.NEWEST, scoreCursor, 10))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.getMessage()).contains("sort=score"));
        assertThatThrownBy(() -> queries.search(AnomalyFilter.all(), AnomalySort.NEWEST, null, 0))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("limit"));
        assertThatThrownBy(() -> queries.count(new AnomalyFilter(null, null, null, null, T0, T0, null, null)))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("to"));
    }

    @Test
    void oneAnomalyCarriesEvidenceInfluencersAndTheLlmAnswer() {
        long id = queries.search(new AnomalyFilter(null, Set.of("orders-db"), null, null, null, null, null, null),
                AnomalySort.NEWEST, null, 1).items().get(0).id();
        AnomalyDetail d = queries.find(id).orElseThrow();
        assertThat(d.detector()).isEqualTo("new-template");
        assertThat(d.evidence()).singleElement().satisfies(e -> assertThat(e.ref()).isEqualTo("app.log:95"));
        assertThat(d.influencers()).singleElement().satisfies(i -> assertThat(i.value()).isEqualTo("10.0.0.7"));
        assertThat(d.llm().model()).isEqualTo("llama3:8b");
        assertThat(d.llm().probableCause()).isEqualTo("The gateway is down");
        assertThat(d.llm().recommendedActions()).containsExactly("Check the gateway");
        assertThat(queries.find(987654321L)).isEmpty();
        assertThat(queries.around(id, Duration.ofHours(3), 50)).extracting(AnomalySummary::id).contains(id);
    }

    @Test
    void aStatusChangeKeepsWhoWhenAndWhyAndIsPublished() {
        long id = queries.search(new AnomalyFilter(null, Set.of("app"), null, null, null, null, null, null),
                AnomalySort.SCORE, null, 1).items().get(0).id();
        published.clear();
        AnomalyDetail acked = status.change(id, new AnomalyStatusService.Request("false_positive", " nightly batch ",
                "admin", Feedback.SUPPRESS, Duration.ofDays(7), "client=10.0.0.7"));
        assertThat(acked.status()).isEqualTo("false_positive");
        assertThat(acked.statusBy()).isEqualTo("admin");
        assertThat(acked.statusNote()).isEqualTo("nightly batch");
        assertThat(acked.statusAt()).isNotNull();
        assertThat(acked.history()).singleElement().satisfies(h -> {
            assertThat(h.from()).isEqualTo("open");
            assertThat(h.to()).isEqualTo("false_positive");
            assertThat(h.feedback()).isEqualTo("suppress");
            assertThat(h.suppressFor()).isEqualTo(Duration.ofDays(7));
            assertThat(h.influencer()).isEqualTo("client=10.0.0.7");
        });
        assertThat(published).singleElement().isInstanceOfSatisfying(AnomalyStatusChanged.class, e -> {
            assertThat(e.anomalyId()).isEqualTo(id);
            assertThat(e.source()).isEqualTo("app");
            assertThat(e.from()).isEqualTo("open");
            assertThat(e.to()).isEqualTo("false_positive");
            assertThat(e.by()).isEqualTo("admin");
            assertThat(e.feedback()).isEqualTo(Feedback.SUPPRESS);
            assertThat(e.suppressFor()).isEqualTo(Duration.ofDays(7));
            assertThat(e.influencer()).isEqualTo("client=10.0.0.7");
            assertThat(e.at()).isEqualTo(acked.statusAt());
        });

        AnomalyDetail reopened = status.change(id, new AnomalyStatusService.Request("open", null, "api-key:ci"));
        assertThat(reopened.history()).extracting(StatusChange::to).containsExactly("false_positive", "open");
        assertThat(reopened.history().get(1).suppressFor()).isNull();
        assertThat(queries.count(new AnomalyFilter(null, null, null, Set.of("false_positive"), null, null, null, null))).isZero();

        assertThatThrownBy(() -> status.change(id, new AnomalyStatusService.Request("closed", null, "admin")))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("status"));
        assertThatThrownBy(() -> status.change(id, new AnomalyStatusService.Request("acknowledged", null, "admin",
                Feedback.NONE, Duration.ofDays(1), null)))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("for"));
        assertThatThrownBy(() -> status.change(id, new AnomalyStatusService.Request("acknowledged", null, "admin",
                Feedback.SUPPRESS, null, "no-equals-sign")))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("influencer"));
        assertThatThrownBy(() -> status.change(123456789L, new AnomalyStatusService.Request("open", null, "admin")))
                .isInstanceOf(NotFoundException.class);
        assertThat(published).hasSize(2);
    }

    @Test
    void jobsWithCountsDurationAndReports() throws Exception {
        JobQueries.JobPage page = jobQueries.list(JobQueries.JobFilter.all(), null, 1);
        assertThat(page.items()).singleElement().satisfies(j -> assertThat(j.id()).isEqualTo(job2));
        assertThat(page.items().get(0).running()).isTrue();
        assertThat(page.items().get(0).durationMillis()).isNotNull();
        JobQueries.JobPage next = jobQueries.list(JobQueries.JobFilter.all(), page.nextCursor(), 1);
        assertThat(next.items()).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(job1);
            assertThat(j.eventsQuarantined()).isEqualTo(2);
            assertThat(j.progress()).isEqualTo(1.0);
        });
        assertThat(jobQueries.list(new JobQueries.JobFilter("succeeded", null, null), null, 10).items())
                .extracting(JobView::id).containsExactly(job1);
        assertThatThrownBy(() -> jobQueries.list(new JobQueries.JobFilter("done", null, null), null, 10))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("status"));

        Path html = Files.writeString(DIR.resolve("reports").resolve("app-1.html"), "<h1>report</h1>");
        new ReportRepository(JdbcClient.create(ds)).record(job1, "html", html.toString());
        JobQueries.JobDetail detail = jobQueries.detail(job1).orElseThrow();
        assertThat(detail.anomaliesBySeverity()).containsEntry("CRITICAL", 8);
        assertThat(detail.reports()).singleElement().satisfies(r -> assertThat(r.fileName()).isEqualTo("app-1.html"));
        assertThat(reportFiles.find(detail.reports().get(0).id())).hasValueSatisfying(
                f -> assertThat(f.mediaType()).startsWith("text/html"));
        assertThat(jobQueries.detail(424242L)).isEmpty();
    }

    @Test
    void aReportLocationOutsideTheReportsFolderIsNeverOpened() throws Exception {
        Path secret = Files.writeString(DIR.resolve("secret.txt"), "password");
        ReportRepository reports = new ReportRepository(JdbcClient.create(ds));
        reports.record(job2, "json", DIR.resolve("reports").resolve("..").resolve("secret.txt").toString());
        reports.record(job2, "json", secret.toString());
        Path link = DIR.resolve("reports").resolve("link.json");
        Files.createSymbolicLink(link, secret);
        reports.record(job2, "json", link.toString());
        List<ReportFiles.ReportInfo> infos = reportFiles.forJob(job2);
        assertThat(infos).hasSize(3);
        for (ReportFiles.ReportInfo info : infos) {
            assertThat(reportFiles.find(info.id())).as(info.fileName()).isEmpty();
        }
    }

    @Test
    void everySourceWithScheduleWatermarkAndLastJob() {
        Map<String, String> props = Map.of(
                "logwarden.sources.sql[0].name", "orders-db",
                "logwarden.sources.sql[0].query", "select 1",
                "logwarden.sources.sql[0].url", "jdbc:postgresql://127.0.0.1/orders?password=secret",
                "logwarden.sources.rest[0].name", "tickets",
                "logwarden.sources.rest[0].url", "http://user:pw@127.0.0.1:9/tickets?token=x",
                "logwarden.sources.rest[0].schedule.cron", "0 */5 * * * *",
                "logwarden.sources.kafka[0].name", "events",
                "logwarden.sources.kafka[0].brokers", "127.0.0.1:9092",
                "logwarden.sources.kafka[0].topics", "app-logs",
                "logwarden.sources.kafka[0].group-id", "logwarden");
        SourcesProperties sources = bind("logwarden.sources", props, SourcesProperties.class);
        IngestProperties ingest = bind("logwarden.ingest", Map.of("logwarden.ingest.inbox", "/srv/inbox"), IngestProperties.class);
        JdbcClient.create(ds).sql("""
                insert into source_watermarks (source, kind, last_ts) values ('orders-db', 'sql', :ts)
                on conflict (source) do update set last_ts = excluded.last_ts""")
                .param("ts", java.sql.Timestamp.from(T0)).update();
        List<SourceQueries.SourceView> all = new SourceQueries(new NamedParameterJdbcTemplate(ds), sources, ingest).all();
        assertThat(all).extracting(SourceQueries.SourceView::name).containsSubsequence("inbox", "orders-db", "tickets", "events", "app");
        SourceQueries.SourceView inbox = all.get(0);
        assertThat(inbox.kind()).isEqualTo("inbox");
        assertThat(inbox.schedule()).isEqualTo("polls the inbox every 2s");
        assertThat(inbox.lastJob()).isNotNull();
        SourceQueries.SourceView db = all.get(1);
        assertThat(db.watermark()).isEqualTo(T0);
        assertThat(db.schedule()).isEqualTo("every 1m");
        assertThat(db.location()).doesNotContain("secret");
        assertThat(db.lastJob().id()).isEqualTo(job2);
        assertThat(db.health()).isEqualTo("running");
        assertThat(db.runnable()).isTrue();
        assertThat(all.get(2).schedule()).isEqualTo("cron 0 */5 * * * *");
        assertThat(all.get(2).location()).isEqualTo("http://127.0.0.1:9/tickets");
        assertThat(all.get(2).health()).isEqualTo("never-run");
        assertThat(all.get(3).kind()).isEqualTo("kafka");
        assertThat(all.get(3).runnable()).isFalse();
    }

    @Test
    void templatesPerSourceWithAnExampleAndAQuarantineSample() {
        List<TemplateSnapshot> mined = List.of(
                new TemplateSnapshot("T1", "order <*> failed", 40, List.of()),
                new TemplateSnapshot("T2", "session <*> refreshed", 400, List.of()),
                new TemplateSnapshot("T900", "heartbeat <*>", 4, List.of()));
        TemplateRepository repository = new TemplateRepository(new JdbcTemplate(ds));
        repository.save("app", mined, Map.of("T1", new Instant[] {T0, T0.plusSeconds(60)}),
                Map.of("T1", "order 3 failed", "T900", "heartbeat 1"));
        TemplateQueries templates = new TemplateQueries(new NamedParameterJdbcTemplate(ds));
        assertThat(templates.forSource("app", 0, 10)).extracting(TemplateQueries.TemplateView::id).containsExactly("T2", "T1", "T900");
        // An anomaly's evidence line first; else the line the miner kept: the first a job saw, kept across jobs.
        assertThat(templates.forSource("app", 0, 10).get(1).example()).isEqualTo("order 17 failed");
        assertThat(templates.forSource("app", 0, 10).get(2).example()).isEqualTo("heartbeat 1");
        repository.save("app", mined, Map.of(), Map.of("T900", "heartbeat 2"));
        assertThat(templates.forSource("app", 0, 10).get(2).example()).isEqualTo("heartbeat 1");
        assertThat(templates.forSource("app", 0, 10).get(1).firstSeen()).isEqualTo(T0);
        assertThat(templates.sources()).singleElement().satisfies(s -> assertThat(s.templates()).isEqualTo(3));

        new QuarantineRepository(new JdbcTemplate(ds)).saveAll(job1, List.of(
                new QuarantineRepository.Entry("app", "app.log", 3, "no timestamp", "garbage 1"),
                new QuarantineRepository.Entry("app", "app.log", 9, "no timestamp", "garbage 2"),
                new QuarantineRepository.Entry("app", "app.log", 12, "too long", "x")));
        QuarantineQueries quarantine = new QuarantineQueries(new NamedParameterJdbcTemplate(ds));
        assertThat(quarantine.sample(job1, 2)).extracting(QuarantineQueries.QuarantinedRecord::line).containsExactly(3L, 9L);
        assertThat(quarantine.reasons(job1)).first().satisfies(r -> assertThat(r.count()).isEqualTo(2));
    }

    @Test
    void quarantinedRecordsAreKeptAsReadWhateverTheyHold() {
        long job = jobs.start("raw", "file", "raw.log", null);
        List<String> raws = List.of("tab\there", "back\\slash \\N \\t", "line\nbreak\r\nand CR\r", "\\N", "", "NUL\0in",
                "non-ASCII é ü 漢字 🙂", "x".repeat(300_000), "trailing backslash \\");
        List<QuarantineRepository.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String raw = raws.get(i % raws.size());
            entries.add(new QuarantineRepository.Entry("raw", i % 2 == 0 ? null : "dir\\raw\t1.log", i,
                    "reason\\" + i % 3, raw));
        }
        QuarantineRepository repository = new QuarantineRepository(new JdbcTemplate(ds));
        repository.saveAll(job, entries);
        repository.saveAll(job, List.of());
        List<QuarantineRepository.Entry> read = repository.firstForJob(job, 5_000);
        List<QuarantineRepository.Entry> expected = entries.stream()
                .map(e -> new QuarantineRepository.Entry(e.source(), e.origin(), e.line(), e.reason(), e.raw().replace('\0', '\uFFFD')))
                .toList();
        assertThat(read).isEqualTo(expected);
        // A batch that fails writes none of its records, and names why.
        assertThatThrownBy(() -> repository.saveAll(999_999, List.of(new QuarantineRepository.Entry("raw", null, 1, "r", "x"))))
                .hasMessageContaining("quarantine");
        assertThat(repository.firstForJob(999_999, 10)).isEmpty();
    }

    @Test
    void apiKeysAreStoredHashedShownOnceAndRevokedAtOnce() {
        ApiKeyService keys = new ApiKeyService(JdbcClient.create(ds));
        ApiKeyService.CreatedKey created = keys.create("  ci  ", "write", "admin");
        assertThat(created.key()).startsWith("lwk_").hasSizeGreaterThan(40);
        assertThat(created.apiKey().name()).isEqualTo("ci");
        assertThat(created.key()).startsWith(created.apiKey().prefix());
        String stored = JdbcClient.create(ds).sql("select string_agg(hash || prefix || name, ' ') from api_keys")
                .query(String.class).single();
        assertThat(stored).doesNotContain(created.key());
        assertThat(keys.authenticate(created.key(), "127.0.0.9")).hasValueSatisfying(k -> assertThat(k.canWrite()).isTrue());
        assertThat(keys.find(created.apiKey().id()).orElseThrow().lastUsedFrom()).isEqualTo("127.0.0.9");
        assertThat(keys.authenticate(created.key() + "x", "127.0.0.9")).isEmpty();
        assertThat(keys.authenticate("Basic abc", "127.0.0.9")).isEmpty();
        assertThat(keys.revoke(created.apiKey().id(), "admin").revokedBy()).isEqualTo("admin");
        assertThat(keys.authenticate(created.key(), "127.0.0.9")).isEmpty();
        assertThat(keys.list()).extracting(ApiKeyService.ApiKey::active).containsOnly(false);
        assertThatThrownBy(() -> keys.create("x", "admin", "admin"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("scope"));
        assertThatThrownBy(() -> keys.create(" ", "read", "admin"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("name"));
        assertThatThrownBy(() -> keys.revoke(999_999, "admin")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void llmCallsAgainstTheHourlyBudget() {
        JdbcClient client = JdbcClient.create(ds);
        for (String outcome : List.of("answered", "answered", "invalid")) {
            client.sql("insert into llm_calls (job_id, purpose, outcome, prompt_chars) values (:job, 'explain', :outcome, 100)")
                    .param("job", job1).param("outcome", outcome).update();
        }
        client.sql("insert into llm_calls (job_id, purpose, outcome, prompt_chars, called_at) values (:job, 'explain', 'failed', 1, now() - interval '2 hours')")
                .param("job", job1).update();
        LlmUsage usage = new LlmUsage(new NamedParameterJdbcTemplate(ds), bind("logwarden.llm",
                Map.of("logwarden.llm.max-calls-per-hour", "12"), io.logwarden.config.LlmProperties.class));
        LlmUsage.Usage u = usage.since(Instant.now().minus(Duration.ofDays(1)));
        assertThat(u.lastHour()).isEqualTo(3);
        assertThat(u.budgetPerHour()).isEqualTo(12);
        assertThat(u.budgetUsed()).isEqualTo(0.25);
        assertThat(u.byOutcome()).containsEntry("answered", 2L).containsEntry("invalid", 1L).containsEntry("failed", 1L);
    }
}
