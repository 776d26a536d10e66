package io.logwarden.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an incident's connections failed, read from its evidence lines: the endpoint after {@code connect to} in a
 * line that says the connection was refused, failed, timed out, reset or unreachable (Postfix's {@code connect to
 * 127.0.0.1[127.0.0.1]:19426: Connection refused}, Apache's {@code attempt to connect to 10.0.0.5:8080 (…) failed}),
 * the address Go's network errors dial ({@code dial tcp 10.0.0.5:2380: connect: connection refused}: etcd, Caddy,
 * Prometheus, Docker), or else the scheme, host and port of a URL the failure follows in such a line (Spring's {@code I/O error on GET
 * request for "http://10.0.0.5:8080/stock": Connection refused}).
 * A log that keeps its upstream in a field (nginx's error log, HAProxy) names it as an influencer; this is for the
 * logs that only write it in the message. Only the few lines an anomaly shows are read, never every event.
 */
final class ConnectionFailures {

    private static final Pattern CONNECT = Pattern.compile("(?i)\\bconnect(?:ing)? to ([^\\s,;()\"']+)");
    /** Go's network errors: {@code dial tcp 10.0.0.5:2380: connect: connection refused}, {@code dial udp …: i/o timeout}. */
    private static final Pattern DIAL = Pattern.compile("\\bdial (?:tcp|udp)[46]? ([^\\s,;()\"']+)");
    private static final Pattern URL = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s\"'<>?#]+)");
    private static final Pattern FAILED = Pattern.compile(
            "(?i)\\b(refused|failed|timed out|timeout|unreachable|reset|no route to host)\\b");

    private ConnectionFailures() {
    }

    /** The endpoints connection failures in these lines name, most named first, with how many lines name each. */
    static Map<String, Integer> endpoints(List<Evidence> evidence) {
        Map<String, Integer> found = new LinkedHashMap<>();
        for (Evidence e : evidence) {
            String text = e.text();
            if (text == null) continue;
            String line = text.indexOf('\n') < 0 ? text : text.substring(0, text.indexOf('\n'));
            if (!FAILED.matcher(line).find()) continue;
            Matcher m = CONNECT.matcher(line);
            if (!m.find() && !(m = DIAL.matcher(line)).find()) {
                // a URL the failure is told of after ("… for \"http://h:8080/x\": Connection refused"), not a link
                // to read more at after it ("… failed …; For more details see: http://wiki.apache.org/…")
                m = URL.matcher(line);
                if (!m.find() || !FAILED.matcher(line).region(m.end(), line.length()).find()) continue;
            }
            String endpoint = m.group(1);
            while (!endpoint.isEmpty() && ":.".indexOf(endpoint.charAt(endpoint.length() - 1)) >= 0) {
                endpoint = endpoint.substring(0, endpoint.length() - 1);
            }
            if (endpoint.chars().anyMatch(Character::isDigit) || endpoint.contains(":")) found.merge(endpoint, 1, Integer::sum);
        }
        return found;
    }

    /**
     * The anomaly with a sentence naming where its connections failed, when its evidence shows failures to one
     * endpoint and it names no upstream; else the anomaly as it is.
     */
    static Anomaly explain(Anomaly a) {
        if (a.influencers().stream().anyMatch(i -> i.field().equals("upstream"))) return a;
        Map<String, Integer> endpoints = endpoints(a.evidence());
        if (endpoints.size() != 1) return a;
        Map.Entry<String, Integer> only = endpoints.entrySet().iterator().next();
        String sentence = " Connections to " + only.getKey() + " failed ("
                + Explain.plural(only.getValue(), "line") + " shown).";
        return a.withExplanation(a.explanation() + sentence);
    }
}
