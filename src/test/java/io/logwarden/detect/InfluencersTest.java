package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfluencersTest {

    @Test
    void aMessagesAddressIsItsFirstUnlessALaterOneIsTheClientsOrWhereItCameFrom() {
        assertThat(Influencers.address("New connection from 127.0.0.5:40112 on port 1883.")).isEqualTo("127.0.0.5");
        assertThat(Influencers.address("rip=10.1.2.3, lip=10.0.0.1")).isEqualTo("10.1.2.3");
        // a service's port stays with its address (which backend); a client's ephemeral port does not
        assertThat(Influencers.address("read timeout on socket: tcp:127.0.0.1:20212 (fd: 23)")).isEqualTo("127.0.0.1:20212");
        assertThat(Influencers.address("Connecting to MASTER 10.0.0.4:6379")).isEqualTo("10.0.0.4:6379");
        assertThat(Influencers.address("Accepted 10.0.0.4:51234")).isEqualTo("10.0.0.4");
        assertThat(Influencers.address("at 10.0.0.4:80.5 ms")).isEqualTo("10.0.0.4");
        // FreeRADIUS names its own address first, then the unknown client's
        assertThat(Influencers.address("Ignoring request to auth address 127.0.0.1 port 1812 bound to server default"
                + " from unknown client 127.0.0.57 port 41235 proto udp")).isEqualTo("127.0.0.57");
        assertThat(Influencers.address("listening on 10.0.0.1, connect from [192.168.4.20]")).isEqualTo("192.168.4.20");
        assertThat(Influencers.address("upstream 10.0.0.9:8080 timed out (client 10.0.0.77)")).isEqualTo("10.0.0.77");
        assertThat(Influencers.address("from10.0.0.1 version 1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(Influencers.address("no address here, version 1.2.3")).isNull();
        // a network is named with its prefix length; a path after an address is no prefix
        assertThat(Influencers.address("failed to allocate an IPv4 lease in the subnet 10.30.0.0/24, subnet-id 3"))
                .isEqualTo("10.30.0.0/24");
        assertThat(Influencers.address("GET http://10.0.0.5/8/items and 10.0.0.6/33")).isEqualTo("10.0.0.5");
    }

    @Test
    void aNumberedInstanceIsNamedByItsGroup() {
        assertThat(Influencers.instance("Client sensor-hall3-012 has exceeded timeout, disconnecting."))
                .isEqualTo("sensor-hall3-*");
        assertThat(Influencers.instance("closing AMQP connection <0.4363.0> (127.0.0.31:42247 -> 127.0.0.1:5672 - notifier-1):"))
                .isEqualTo("notifier-*");
        assertThat(Influencers.instance("pod web_api-7 restarted")).isEqualTo("web_api-*");
        // dates, versions, paths, files, host names, keys and single letters are no instances
        assertThat(Influencers.instance("backup of 2026-12-02 done")).isNull();
        assertThat(Influencers.instance("GET /shop/item-12 HTTP/1.1")).isNull();
        assertThat(Influencers.instance("rotated app-3.log and web-1.example.com")).isNull();
        assertThat(Influencers.instance("x-1 and utf-8 and shard-1=ok and id-12345")).isNull();
        assertThat(Influencers.instance("no numbers-here")).isNull();
        // algorithms named by their size
        assertThat(Influencers.instance("connection authenticated: identity=\"app\" method=scram-sha-256")).isNull();
        assertThat(Influencers.instance("cipher AES-128 and crc-32, digest sha-1")).isNull();
    }

    @Test
    void aMessagesDomainIsTheRegisteredDomainOfItsFirstDomainName() {
        // a host name with its port is one service's endpoint: named whole
        assertThat(Influencers.domain("opensock: Could not establish a connection to repo.corp.example:20223"))
                .isEqualTo("repo.corp.example:20223");
        assertThat(Influencers.domain("GET http://api.partner.example:20224/v2/orders HTTP/1.1")).isEqualTo("api.partner.example:20224");
        assertThat(Influencers.domain("lookup of repo.corp.example: no such host")).isEqualTo("corp.example");
        // a link the message points the reader to is documentation
        assertThat(Influencers.domain("Persistent store is Full. Stopping producer to prevent flooding queue://audit.events."
                + " See http://activemq.apache.org/producer-flow-control.html for more info")).isNull();
        assertThat(Influencers.domain("from=<a@shop.example> Greylisted, see http://postgrey.schweikert.ch/help/x.html"))
                .isEqualTo("shop.example");
        assertThat(Influencers.domain("client @0x7fe8494acc98 127.0.0.23#40837 (legacy.partner.test): query failed (timed out)"
                + " for legacy.partner.test/IN/A at query.c:7916")).isEqualTo("partner.test");
        assertThat(Influencers.domain("to=<bob@mail.example.com>, relay=mx1.example.co.uk[10.0.0.1]:25, status=deferred"))
                .isEqualTo("example.com");
        assertThat(Influencers.domain("relay=mx1.example.co.uk[10.0.0.1]:25")).isEqualTo("example.co.uk");
        assertThat(Influencers.domain("I/O error on GET request for \"https://api.shop.de/v1/stock\": Connection refused"))
                .isEqualTo("shop.de");
        assertThat(Influencers.domain("resolving www.example.org. failed")).isEqualTo("example.org");
        assertThat(Influencers.domain(".hidden then cdn.example.net")).isEqualTo("example.net");
        // files, paths, versions, addresses, Java and Python names, calls and abbreviations are no domains
        assertThat(Influencers.domain("rotated app.log, read /etc/nginx/conf.d/shop.de and run.sh")).isNull();
        assertThat(Influencers.domain("error in server_epoll.lua:123 and query.c:5708")).isNull();
        assertThat(Influencers.domain("java.io.IOException at org.apache.catalina.core.StandardService")).isNull();
        assertThat(Influencers.domain("version 1.2.3 from 127.0.0.1, e.g. os.path(x) and user.id")).isNull();
        assertThat(Influencers.domain("no names here.")).isNull();
    }

    @Test
    void aFieldWithOneValueInTheWholeInputIsWeighedAmongAllTheAnomalysEvents() {
        // the anomaly's 40 warnings, 30 of them about the one remote-write endpoint of the whole input: named, as 30 of
        // the 40 warnings (not "30 of 30"); the service every event carries is named by nothing
        List<Anomaly.Influencer> found = influencersOfWarnings(30);
        assertThat(found).extracting(Anomaly.Influencer::field, Anomaly.Influencer::value, Anomaly.Influencer::count,
                Anomaly.Influencer::of).containsExactly(org.assertj.core.groups.Tuple.tuple("url",
                "http://127.0.0.1:9201/write", 30L, 40L));
        assertThat(found.get(0).baselineShare()).isZero();
        // the same endpoint in 8 of the 40 warnings (20 %) is too small a share to name
        assertThat(influencersOfWarnings(8)).isEmpty();
    }

    /**
     * The influencers of 40 warnings after 300 ordinary events (five clients, one service, no url), {@code withUrl}
     * of the warnings naming the one url of the whole input.
     */
    private static List<Anomaly.Influencer> influencersOfWarnings(int withUrl) {
        Influencers influencers = new Influencers(List.of("client", "service", "url"));
        WindowStats anomaly = new WindowStats(1);
        for (int i = 0; i < 300; i++) {
            count(influencers, null, event(Level.INFO, "prometheus", Map.of("client", "127.0.0." + (1 + i % 5))));
        }
        for (int i = 0; i < 40; i++) {
            Map<String, String> attributes = i < withUrl ? Map.of("url", "http://127.0.0.1:9201/write") : Map.of();
            count(influencers, anomaly, event(Level.WARN, "prometheus", attributes));
        }
        return influencers.of(List.of(anomaly), true);
    }

    private static LogEvent event(Level level, String service, Map<String, String> attributes) {
        return new LogEvent("x.log", Instant.parse("2026-12-03T13:00:00Z"), level, service, null, "m",
                new HashMap<>(attributes), "m", null);
    }

    private static void count(Influencers influencers, WindowStats window, LogEvent event) {
        boolean error = event.level().isError();
        String[] values = influencers.valuesOf(event, error);
        influencers.count(values);
        if (window != null) {
            window.add("t1", event, error, false, influencers.names(), values, new double[0]);
        }
    }
}
