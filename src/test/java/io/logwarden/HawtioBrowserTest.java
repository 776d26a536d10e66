package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hawtio end to end in headless Chromium: an anonymous browser is sent to the sign-in page, signs in, lands in
 * Hawtio, lists the Camel routes, stops one and starts it again. From the signed-in page itself a heap dump is
 * refused, and a page of another origin cannot read Jolokia with the operator's cookies.
 */
class HawtioBrowserTest extends ServiceTestSupport {

    private static final Duration UI = Duration.ofSeconds(45);
    private static final String ROUTE = "source-files";

    @Test
    void operatorSignsInListsRoutesStopsAndStartsOne() throws Exception {
        assumeTrue(Files.isExecutable(HeadlessChromium.CHROMIUM), "headless Chromium is needed: apt-get install chromium (.ci/run does)");
        String base = "http://127.0.0.1:" + port;
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.navigate(base + "/actuator/hawtio/");
            assertThat(browser.eval("location.pathname")).isEqualTo("/login");
            assertThat(browser.eval("document.title")).isEqualTo("Sign in — Logwarden");
            assertThat(browser.eval("document.body.innerText")).contains("admin", "LOGWARDEN_SECURITY_ADMIN_PASSWORD");

            browser.eval("document.getElementById('password').value = '" + ADMIN_PASSWORD + "';"
                    + "document.querySelector('form button[type=submit]').click(); true");
            assertThat(browser.waitFor("location.pathname.startsWith('/actuator/hawtio/camel')", UI))
                    .as("lands in Hawtio's Camel tab").isTrue();

            // The Camel tree: select the routes folder, then the Routes table.
            assertThat(browser.waitFor(button("routes"), UI)).as("Camel tree shows the routes").isTrue();
            browser.eval(button("routes") + ".click(); true");
            assertThat(browser.waitFor(link("Routes"), UI)).isTrue();
            // Hawtio loads the Camel tree in the background; a click on Routes before it has can show an empty view.
            boolean listed = false;
            for (int attempt = 0; attempt < 4 && !listed; attempt++) {
                browser.eval(link("Routes") + "?.click(); true");
                listed = browser.waitFor(row(ROUTE), Duration.ofSeconds(20));
            }
            assertThat(listed).as("routes table lists " + ROUTE + "; it shows: " + browser.eval(
                    "[...document.querySelectorAll('#camel-routes-table td[data-label=Name]')].map(td => td.textContent.trim()).join(',')"
                    + " + ' | ' + document.body.innerText.slice(0, 600)")).isTrue();
            String names = browser.eval("[...document.querySelectorAll('#camel-routes-table td[data-label=Name]')]"
                    + ".map(td => td.textContent.trim()).join(',')");
            assertThat(List.of(names.split(","))).contains("analyze", "enrich", "finish-job", "publish", "report-html",
                    "report-json", ROUTE);
            assertThat(state(browser)).isEqualTo("Started");

            select(browser);
            assertThat(browser.waitFor("!" + toolbarButton("Stop") + ".disabled", UI)).isTrue();
            browser.eval(toolbarButton("Stop") + ".click(); true");
            assertThat(browser.waitFor(stateIs("Stopped"), UI)).as("Hawtio shows the route stopped").isTrue();
            assertThat(camel.getRouteController().getRouteStatus(ROUTE).isStopped()).isTrue();

            select(browser);
            assertThat(browser.waitFor("!" + toolbarButton("Start") + ".disabled", UI)).isTrue();
            browser.eval(toolbarButton("Start") + ".click(); true");
            assertThat(browser.waitFor(stateIs("Started"), UI)).as("Hawtio shows the route started").isTrue();
            assertThat(camel.getRouteController().getRouteStatus(ROUTE).isStarted()).isTrue();

            // Even a script running in the signed-in page (same origin, CSRF token at hand) gets no heap dump.
            String heapDump = browser.eval("fetch('/actuator/jolokia', {method: 'POST', headers: {'Content-Type': 'application/json',"
                    + " 'X-XSRF-TOKEN': document.cookie.match(/XSRF-TOKEN=([^;]+)/)[1]}, body: JSON.stringify({type: 'exec',"
                    + " mbean: 'com.sun.management:type=HotSpotDiagnostic', operation: 'dumpHeap', arguments: ['/tmp/lw-heap.hprof', true]})})"
                    + ".then(r => r.json()).then(j => j.status + ' ' + j.error_type)");
            assertThat(heapDump).startsWith("403");
            assertThat(Files.exists(java.nio.file.Path.of("/tmp/lw-heap.hprof"))).isFalse();

            // A hostile page on another origin (another port of this host: same site, so the session cookie goes along).
            HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            hostile.createContext("/", exchange -> {
                byte[] page = "<!DOCTYPE html><title>hostile</title>".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            hostile.start();
            try {
                browser.navigate("http://127.0.0.1:" + hostile.getAddress().getPort() + "/");
                String read = browser.eval("fetch('" + base + "/actuator/jolokia/read/org.apache.camel:context=logwarden,type=context,*',"
                        + " {credentials: 'include'}).then(r => r.text()).then(t => 'read: ' + t, e => 'blocked: ' + e.name)");
                assertThat(read).startsWith("blocked");
                String stop = browser.eval("fetch('" + base + "/actuator/jolokia', {method: 'POST', credentials: 'include', mode: 'no-cors',"
                        + " headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({type: 'exec', mbean:"
                        + " 'org.apache.camel:context=logwarden,type=routes,name=\"" + ROUTE + "\"', operation: 'stop()'})})"
                        + ".then(r => 'sent', e => 'blocked')");
                assertThat(stop).isIn("sent", "blocked");
                assertThat(camel.getRouteController().getRouteStatus(ROUTE).isStarted()).as("cross-site stop had no effect").isTrue();
            } finally {
                hostile.stop(0);
            }
        }
    }

    /** Ticks the route's row (Hawtio keeps a row ticked after an action). */
    private static void select(HeadlessChromium browser) {
        browser.eval("(() => { const box = " + row(ROUTE) + ".querySelector('input[type=checkbox]');"
                + " if (!box.checked) box.click(); return true; })()");
    }

    private static String button(String text) {
        return "[...document.querySelectorAll('button')].find(b => b.textContent.trim() === '" + text + "')";
    }

    private static String link(String text) {
        return "[...document.querySelectorAll('a')].find(a => a.textContent.trim() === '" + text + "')";
    }

    private static String toolbarButton(String text) {
        return "[...document.querySelectorAll('#camel-routes-toolbar button')].find(b => b.textContent.trim() === '" + text + "')";
    }

    private static String row(String route) {
        return "[...document.querySelectorAll('#camel-routes-table tbody tr')].find(tr => tr.querySelector('td[data-label=Name]')"
                + "?.textContent.trim() === '" + route + "')";
    }

    private static String stateIs(String state) {
        return row(ROUTE) + "?.querySelector('td[data-label=State]').textContent.trim() === '" + state + "'";
    }

    private static String state(HeadlessChromium browser) {
        return browser.eval(row(ROUTE) + ".querySelector('td[data-label=State]').textContent.trim()");
    }
}
