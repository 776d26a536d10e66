package io.logwarden.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.store.Job;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The source route templates in routes/sources/, observed step by step with AdviceWith (mock endpoints after the
 * sql: and http steps, without changing what the route does) and NotifyBuilder: a check of a YAML edit in
 * seconds. Each test makes its own route from the template, so the configured sources' routes stay untouched.
 */
class RouteTemplatesTest extends SourcesTestSupport {

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;

    @Test
    void theSqlTemplateBindsTheWatermarkToItsNamedParametersAndPagesWithItsLoop() throws Exception {
        jdbc.sql("create table template_rows (id bigint primary key, ts timestamptz not null, msg text)").update();
        Instant t0 = Instant.parse("2026-07-01T10:00:00Z");
        for (int i = 1; i <= 5; i++) {
            jdbc.sql("insert into template_rows values (:id, :ts, :msg)").param("id", i)
                    .param("ts", Timestamp.from(t0.plusSeconds(i))).param("msg", "row " + i + " written").update();
        }
        String routeId = "template-test-sql";
        TemplatedRouteBuilder.builder(camel, "source-sql").routeId(routeId)
                .parameter("name", "template-rows")
                .parameter("trigger", "direct:" + routeId)
                .parameter("query", "select id, ts, msg from template_rows where (ts, id) > (:#lastTs, :#lastKey)"
                        + " and ts <= :#until order by ts, id limit :#limit")
                .parameter("dataSource", "dataSource")
                .parameter("mapping", "timestamp=ts, message=msg, key=id")
                .parameter("pageSize", "2")
                .add();
        AdviceWith.adviceWith(camel, routeId, route -> {
            route.weaveByToUri("sql:*").before().to("mock:sql-query");
            route.weaveByToUri("direct:analyze").before().to("mock:analyzed");
        });
        MockEndpoint queries = camel.getEndpoint("mock:sql-query", MockEndpoint.class);
        MockEndpoint analyzed = camel.getEndpoint("mock:analyzed", MockEndpoint.class);
        queries.expectedMessageCount(3); // pages of 2, 2 and 1 rows: the short page ends the loop
        analyzed.expectedMessageCount(3);
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(routeId).whenDone(1).create();

        Exchange run = producer.send("direct:" + routeId, ex -> ex.getIn().setHeader("logwardenTrigger", "manual"));
        assertThat(done.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(run.getException()).isNull();
        queries.assertIsSatisfied();
        analyzed.assertIsSatisfied();
        List<Exchange> pages = queries.getReceivedExchanges();
        assertThat(pages.get(0).getIn().getHeader("lastKey")).isEqualTo(Long.MIN_VALUE); // the watermark: none yet
        assertThat(pages.get(1).getIn().getHeader("lastKey")).isEqualTo(2L);               // the last row read
        assertThat(pages.get(2).getIn().getHeader("lastTs", Timestamp.class).toInstant()).isEqualTo(t0.plusSeconds(4));
        assertThat(pages.get(0).getIn().getHeader("limit")).isEqualTo(2);

        Job job = jobs.find(run.getIn().getHeader("logwardenJobId", Long.class)).orElseThrow();
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(job.eventsParsed()).isEqualTo(5);
        assertThat(watermarks.find("template-rows")).get().satisfies(w -> assertThat(w.key()).isEqualTo("5"));
    }

    @Test
    void theRestTemplateAsksForEachNextPageWithToDAndAnalyzesThemInItsTransaction() throws Exception {
        String routeId = "template-test-rest";
        TemplatedRouteBuilder.builder(camel, "source-rest").routeId(routeId)
                .parameter("name", "advised")
                .parameter("trigger", "direct:" + routeId)
                .add();
        AdviceWith.adviceWith(camel, routeId, route -> {
            route.weaveByType(org.apache.camel.model.ToDynamicDefinition.class).before().to("mock:page-requests");
            route.weaveByToUri("direct:analyze").before().to("mock:analyzed-pages");
        });
        MockEndpoint requests = camel.getEndpoint("mock:page-requests", MockEndpoint.class);
        MockEndpoint analyzed = camel.getEndpoint("mock:analyzed-pages", MockEndpoint.class);
        requests.expectedMessageCount(3); // 23 records, 8 per page, the next cursor in $.meta.next
        requests.expectedHeaderValuesReceivedInAnyOrder(Exchange.HTTP_URI,
                API.base() + "/cursor", API.base() + "/cursor?cursor=c8", API.base() + "/cursor?cursor=c16");
        analyzed.expectedMessageCount(3);

        Exchange run = producer.send("direct:" + routeId, ex -> ex.getIn().setHeader("logwardenTrigger", "manual"));
        assertThat(run.getException()).isNull();
        requests.assertIsSatisfied(5000);
        analyzed.assertIsSatisfied(5000);
        assertThat(requests.getReceivedExchanges()).allSatisfy(r -> assertThat(r.getIn().getHeaders())
                .doesNotContainKey("Link").containsEntry("CamelHttpMethod", "GET"));
        Job job = jobs.find(run.getIn().getHeader("logwardenJobId", Long.class)).orElseThrow();
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(job.eventsParsed()).isEqualTo(ApiServer.RECORDS);
    }
}
