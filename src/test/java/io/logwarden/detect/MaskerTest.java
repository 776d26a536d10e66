package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Masking of paths, URLs, names and runs of values. */
class MaskerTest {

    private static String masked(String message) {
        Masker m = new Masker(List.of());
        m.prepare(message);
        return String.join(" ", m.tokens());
    }

    @Test
    void pathsKeepLiteralSegmentsAndMaskSegmentsWithDigits() {
        assertThat(masked("GET /api/users/42/orders HTTP/1.1 200")).isEqualTo("GET /api/users/<*>/orders <*>");
        assertThat(masked("GET /api/users/5f1c3a9e-0b7d-4c1e-9f3a-2b6d8e4c1a77/avatar.png HTTP/1.1 200"))
                .isEqualTo("GET /api/users/<*>/avatar.png <*>");
        assertThat(masked("DELETE /v2/0xdeadbeef01/items/7 HTTP/2 204")).isEqualTo("DELETE /v2/<*>/items/<*> <*>");
        assertThat(masked("GET /admin/login HTTP/1.1 401")).isEqualTo("GET /admin/login <*>");
    }

    @Test
    void constantNamesWithDigitsAreKeptAndValuesInCapitalsAreMasked() {
        assertThat(masked("DHCP4_LEASE_ALLOC [hwtype=1 3c:22:fb:62:d2:48], tid=0xaf6ce863: lease 10.20.2.191 has been allocated"))
                .isEqualTo("DHCP4_LEASE_ALLOC [hwtype=<*> <*>], tid=<*>: lease <*> has been allocated");
        assertThat(masked("DHCP4_PACKET_NAK_0001 failed")).isEqualTo("DHCP4_PACKET_NAK_0001 failed");
        assertThat(masked("verify error X509_V_ERR_CERT_HAS_EXPIRED")).isEqualTo("verify error X509_V_ERR_CERT_HAS_EXPIRED");
        // identifiers of one thing among many stay values
        assertThat(masked("started TASK_12345 and ID_A1B2C3 and JOB_20261203_001 and HTTP2 and Abc_1_DEF"))
                .isEqualTo("started <*> and <*> and <*> and <*> and <*>");
    }

    @Test
    void longPathsOfManyValuesAreMaskedWhole() {
        // every one-character segment becomes three characters, over several paths in one message: the masked paths
        // take more than three times the room the first path had
        StringBuilder path = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            path.append('/').append(i % 10);
            expected.append("/<*>");
        }
        String p = path + "/end?x";
        String e = expected + "/end?<*>";
        Masker m = new Masker(List.of());
        for (int round = 0; round < 2; round++) { // the second round reuses the grown room
            m.prepare("copy " + p + " to " + p + " and (" + p + "),");
            assertThat(String.join(" ", m.tokens())).isEqualTo("copy " + e + " to " + e + " and (" + e + "),");
            assertThat(m.pathsText()).isEqualTo(e + e + "(" + e + "),");
        }
    }

    @Test
    void queryStringsAreMaskedWithOrWithoutDigits() {
        assertThat(masked("GET /search?q=shoes&page=2 HTTP/1.1 200")).isEqualTo("GET /search?<*> <*>");
        assertThat(masked("GET /search?q=shoes HTTP/1.1 200")).isEqualTo("GET /search?<*> <*>");
        assertThat(masked("GET /api/items/12?expand=owner HTTP/1.1 200")).isEqualTo("GET /api/items/<*>?<*> <*>");
    }

    @Test
    void filePathsAndAddressesKeepTheirShapeAndSurroundingPunctuation() {
        assertThat(masked("Deleting /var/log/app/2026-11-29.log now")).isEqualTo("Deleting /var/log/app/<*> now");
        assertThat(masked("opened (/data/shard7/index),")).isEqualTo("opened (/data/<*>/index),");
        // a lone address with a slash in front (as Java prints one) is a value, not a path
        assertThat(masked("from /10.251.71.16:50010")).isEqualTo("from <*>");
        assertThat(masked("GET /42 HTTP/1.1 200")).isEqualTo("GET <*>");
        // no digit and no query: the path names a file, a value; a request line's endpoint stays
        assertThat(masked("reading /etc/hosts")).isEqualTo("reading <*>");
        assertThat(masked("included file: (/etc/xinetd.d/echo)")).isEqualTo("included file: (<*>)");
        assertThat(masked("GET /admin/login")).isEqualTo("GET /admin/login");
        // every method keeps its endpoint; a word that only looks like one (capitals, 3-7 letters) does not
        for (String method : new String[] {"POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "CONNECT", "TRACE"}) {
            assertThat(masked(method + " /admin/login")).isEqualTo(method + " /admin/login");
        }
        assertThat(masked("FETCH /admin/login")).isEqualTo("FETCH <*>");
        assertThat(masked("GETS /admin/login")).isEqualTo("GETS <*>");
        assertThat(masked("GE /admin/login")).isEqualTo("GE <*>");
    }

    @Test
    void qualifiedNamesAreValuesAndShortDottedWordsAreNot() {
        assertThat(masked("Registering class org.apache.hadoop.mapreduce.jobhistory.EventType for"))
                .isEqualTo("Registering class <*> for");
        assertThat(masked("handler com.example.app.Main$Inner")).isEqualTo("handler <*>");
        assertThat(masked("see xinetd.d or a.b.c")).isEqualTo("see xinetd.d or a.b.c");
        assertThat(masked("odd a..b.c.d and .a.b.c.d")).isEqualTo("odd a..b.c.d and .a.b.c.d");
    }

    @Test
    void eMailAddressesAreValuesKeepingTheirKeyAndBrackets() {
        assertThat(masked("3A1F: from=<rosa.haas@parcel-service.example>, size=812, nrcpt=1 (queue active)"))
                .isEqualTo("<*>: from=<<*>>, size=<*>, nrcpt=<*> (queue active)");
        assertThat(masked("RCPT from unknown[127.0.0.66]: 554 5.7.1 <check@yahoo.example>: Relay access denied"))
                .isEqualTo("RCPT from <*>]: <*> <<*>>: Relay access denied");
        assertThat(masked("mail for bob@example.com sent")).isEqualTo("mail for <*> sent");
        // PostgreSQL's user@database and a lone @ are not addresses
        assertThat(masked("app@shop LOG: statement")).isEqualTo("app@shop LOG: statement");
        assertThat(masked("at @ home.example and a@b. and @x.example")).isEqualTo("at @ home.example and a@b. and @x.example");
    }

    @Test
    void aValueInAnglesAfterAKeyIsAValueWithOrWithoutDigits() {
        // Dovecot marks its values: without this, one template per user name
        assertThat(masked("Login: user=<anna.berg>, method=PLAIN, rip=127.0.0.5, session=<IvjSjaZh7YF/AAAV>"))
                .isEqualTo("Login: user=<<*>>, method=PLAIN, rip=<*>, session=<<*>>");
        assertThat(masked("Login: user=<tom.meyer>, method=PLAIN, rip=127.0.0.20, session=<hbTjaZh8aR/AAAh>"))
                .isEqualTo("Login: user=<<*>>, method=PLAIN, rip=<*>, session=<<*>>");
        // an empty value says something (no user, no sender); angles without a key, or text after them, are words
        assertThat(masked("Disconnected: user=<>, rip=127.0.0.9")).isEqualTo("Disconnected: user=<>, rip=<*>");
        assertThat(masked("state <READY> and key=<a>b")).isEqualTo("state <READY> and key=<a>b");
    }

    @Test
    void aQueriedNameInAnglesIsAValueWithOrWithoutDigits() {
        // Unbound writes a query as <name. TYPE CLASS>: one outage of many names is one template
        assertThat(masked("SERVFAIL <build.dev.shop.example. A IN>: all servers for this domain failed, at zone dev.shop.example."))
                .isEqualTo("SERVFAIL <<*> A IN>: all servers for this domain failed, at zone dev.shop.example.");
        assertThat(masked("SERVFAIL <media-289.cdn.partner.example. A IN>: all servers failed"))
                .isEqualTo("SERVFAIL <<*> A IN>: all servers failed");
        // not a name: no final dot, one label, a Java name in angles, an exception before its colon
        assertThat(masked("see <shop.example> and <localhost. A IN> <init>.")).isEqualTo("see <shop.example> and <localhost. A IN> <init>.");
        assertThat(masked("Caused by: java.lang.IllegalStateException: x")).isEqualTo("Caused by: java.lang.IllegalStateException: x");
    }

    @Test
    void aValueRightAfterAValueIsOneParameter() {
        assertThat(masked("failed to resolve name an14 an15 an16 an17")).isEqualTo("failed to resolve name <*>");
        assertThat(masked("failed to resolve name dadmin2")).isEqualTo("failed to resolve name <*>");
        assertThat(masked("at Sun Jul 17 13:27:44 2005 from 10.0.0.1")).isEqualTo("at Sun Jul <*> from <*>");
        // a value with a key or brackets kept around it stays a parameter of its own
        assertThat(masked("size=12 len=4 (7) [8]")).isEqualTo("size=<*> len=<*> (<*>) [<*>]");
        Masker m = new Masker(List.of());
        m.prepare("hosts a1 a2 a3 done");
        long three = m.hash;
        m.prepare("hosts b9 done");
        assertThat(m.hash).isEqualTo(three);
        assertThat(m.size).isEqualTo(3);
    }

    @Test
    void cacheKeyDependsOnTheMaskedPathOnly() {
        Masker m = new Masker(List.of());
        m.prepare("GET /api/users/1/orders HTTP/1.1 200");
        long a = m.hash;
        m.prepare("GET /api/users/99999/orders HTTP/1.0 404");
        long b = m.hash;
        m.prepare("GET /api/users/1/invoices HTTP/1.1 200");
        long c = m.hash;
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    /**
     * A message taken over from another masker ({@link Masker#load}, as the counting thread takes the reading thread's)
     * gives the same masked tokens, and a masked path token equals exactly the template tokens the original's does:
     * not one that differs in its last character or its length.
     */
    @Test
    void aLoadedMessageComparesItsMaskedPathsAsTheOriginalDoes() {
        String[] messages = {"GET /api/users/42/orders HTTP/1.1 200", "GET /api/items/12?expand=owner HTTP/1.1 200",
            "Deleting /var/log/app/2026-11-29.log now and /var/log/app/7/x", "plain words only"};
        String[] candidates = {"/api/users/<*>/orders", "/api/users/<*>/order", "/api/users/<*>/orderz",
            "/api/items/<*>?<*>", "/api/items/<*>?<*", "/var/log/app/<*>", "/var/log/app/<*>/x", "/var/log/app/<*>/y",
            "GET", "<*>", "now"};
        Masker original = new Masker(List.of());
        Masker loaded = new Masker(List.of());
        for (String message : messages) {
            original.prepare(message);
            int[] spans = new int[original.size * Masker.SPAN];
            original.exportSpans(spans, 0);
            loaded.load(original.text(), original.size, original.hash, spans, 0, original.pathsText());
            assertThat(loaded.tokens()).as(message).containsExactly(original.tokens());
            assertThat(loaded.pathsText()).isEqualTo(original.pathsText());
            for (int t = 0; t < original.size; t++) {
                for (String candidate : candidates) {
                    assertThat(loaded.tokenEquals(t, candidate)).as(message + " token " + t + " against " + candidate)
                            .isEqualTo(original.tokenEquals(t, candidate))
                            .isEqualTo(original.token(t).equals(candidate));
                }
            }
        }
    }

    @Test
    void aMultiLineMessageWithAnEmptyFirstLineIsNamedByItsFirstLineWithText() {
        // Gunicorn's worker_abort hook logs "" and the aborted worker's stack on the lines after it
        assertThat(Masker.foldMultiLine("\n# Thread: MainThread(139661046612032)\nFile: \"<frozen runpy>\", line 198, in _run_module_as_main"))
                .isEqualTo("# Thread: MainThread(139661046612032)");
        assertThat(Masker.foldMultiLine("\njava.lang.IllegalStateException: pool\n\tat com.acme.Pool.get(Pool.java:3)"))
                .isEqualTo("java.lang.IllegalStateException");
    }
}
