package io.logwarden.detect;

import io.logwarden.event.LogEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who and what drove an anomaly: the field values over-represented in its events against the rest of the input,
 * as Elastic's influencers and Kibana's log-rate analysis name them ("client 127.0.0.200: 150 of 150 events, 0 %
 * before").
 *
 * <p>Not thread-safe.
 */
final class Influencers {

    /** Distinct values counted per field over the whole input; later new values count as unseen (rare) ones. */
    static final int MAX_VALUES = 10_000;
    static final int MAX_REPORTED = 3;

    private final List<String> fields;
    /** How each field's value is found, decided once rather than per event. */
    private final Kind[] kinds;
    private final String[] names;
    /** Whether a kind reads the client attribute (looked up once an event, not once a kind). */
    private final boolean readsClient;
    private final Map<String, Map<String, long[]>> totals = new HashMap<>();
    /** {@code totals} of field {@code names[i]} at {@code i}, once it has a value: no look-up by name per event. */
    private final Map<String, long[]>[] totalsAt;
    /**
     * The last value counted per field and its total, when it is counted: readers hand out one String for a value that
     * repeats from line to line, so most events of a field with few values count without a map look-up.
     */
    private final String[] lastValue;
    private final long[][] lastCount;
    private long events;

    /**
     * How a field's value is read from an event. Each kind is its own small method, called through the kind (a call
     * the compiler does not inline: the default fields hold eight kinds): a file whose events take a branch that earlier
     * ones did not (an access log's client, then syslog lines whose address is in the message) then has the compiler
     * redo that kind's method alone, not {@link #valuesOf} with every kind inlined into it. On a file of several formats
     * {@code analyze} spent 0.9 s of the optimising compiler's time compiling {@code valuesOf} six times.
     */
    private enum Kind {
        CLIENT {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return client;
            }
        },
        PATH {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return path(attributes.get("path"));
            }
        },
        SERVICE {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return event.service() != null ? event.service() : attributes.get("service");
            }
        },
        HOST {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return event.host() != null && !event.host().equals(client) ? event.host() : attributes.get("host");
            }
        },
        EXCEPTION {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return error ? firstException(event.message()) : null;
            }
        },
        ADDRESS {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return client != null || attributes.containsKey("client") ? null : address(event.message());
            }
        },
        DOMAIN {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return domain(event.message());
            }
        },
        INSTANCE {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return instance(event.message());
            }
        },
        UPSTREAM {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                String upstream = attributes.get("upstream");
                return upstream(upstream != null || attributes.containsKey("upstream") ? upstream
                        : attributes.get("upstream_addr"));
            }
        },
        ATTRIBUTE {
            @Override
            String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error) {
                return attributes.get(name);
            }
        };

        /** The field's value, or null; {@code client} is the event's client attribute when a kind reads it. */
        abstract String read(LogEvent event, Map<String, String> attributes, String client, String name, boolean error);
    }

    Influencers(List<String> fields) {
        this.fields = fields;
        this.names = fields.stream().map(String::intern).toArray(String[]::new); // the formats' literal names
        this.kinds = new Kind[names.length];
        @SuppressWarnings("unchecked")
        Map<String, long[]>[] at = new Map[names.length];
        this.totalsAt = at;
        this.lastValue = new String[names.length];
        this.lastCount = new long[names.length][];
        for (int i = 0; i < names.length; i++) {
            kinds[i] = switch (names[i]) {
                case "client" -> Kind.CLIENT;
                case "path" -> Kind.PATH;
                case "service" -> Kind.SERVICE;
                case "host" -> Kind.HOST;
                case "exception" -> Kind.EXCEPTION;
                case "address" -> Kind.ADDRESS;
                case "domain" -> Kind.DOMAIN;
                case "instance" -> Kind.INSTANCE;
                case "upstream" -> Kind.UPSTREAM;
                default -> Kind.ATTRIBUTE;
            };
        }
        this.readsClient = Arrays.stream(kinds).anyMatch(k -> k == Kind.CLIENT || k == Kind.HOST || k == Kind.ADDRESS);
    }

    /** An event without influencer values. */
    static final String[] NO_VALUES = new String[0];

    /** The influencer field names, in the order of {@link #valuesOf}'s values. */
    String[] names() {
        return names;
    }

    /**
     * The influencer field values of one event: the value of field {@code names()[i]} at {@code i}, null where the
     * event has none (an empty array when it has none at all). One array an event, no pairs.
     */
    String[] valuesOf(LogEvent event, boolean error) {
        String[] values = null;
        Map<String, String> attributes = event.attributes();
        String client = readsClient ? attributes.get("client") : null; // read once for the kinds that need it
        for (int i = 0; i < names.length; i++) {
            String value = kinds[i].read(event, attributes, client, names[i], error);
            if (value != null && !value.isEmpty() && !"-".equals(value)) {
                if (values == null) values = new String[names.length];
                value.hashCode(); // cached in the String: the counting thread's map look-ups then skip hashing it
                values[i] = value;
            }
        }
        return values == null ? NO_VALUES : values;
    }

    /** Counts an event's values ({@link #valuesOf}) into the input-wide totals, the baseline of every share. */
    void count(String[] values) {
        events++;
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            if (value == null) continue;
            Map<String, long[]> byValue = totalsAt[i];
            if (byValue == null) {
                byValue = totals.computeIfAbsent(names[i], k -> new HashMap<>());
                totalsAt[i] = byValue;
            }
            if (value == lastValue[i]) { // the same String as the field's last value (a status, an upstream)
                lastCount[i][0]++;
                continue;
            }
            long[] c = byValue.get(value);
            if (c != null) {
                c[0]++;
            } else if (byValue.size() < MAX_VALUES) {
                byValue.put(value, c = new long[] {1});
            }
            if (c != null) {
                lastValue[i] = value;
                lastCount[i] = c;
            }
        }
    }

    /**
     * The over-represented values among the given windows' events (the "bad" ones — errors, warnings,
     * authentication failures — when {@code bad}), most over-represented first.
     */
    List<Anomaly.Influencer> of(List<WindowStats> windows, boolean bad) {
        return of(windows, bad, false);
    }

    /**
     * @param failing the anomaly is about failing requests or errors: its influencers are weighed among the error
     *                events alone (not the warnings that came with them), and the upstream they nearly all went to is
     *                named too
     */
    List<Anomaly.Influencer> of(List<WindowStats> windows, boolean bad, boolean failing) {
        Map<String, TopValues> merged = merged(windows, bad ? (failing ? w -> w.errorValues : w -> w.badValues) : w -> w.allValues);
        List<Anomaly.Influencer> found = over(merged, eventsOf(windows, bad ? (failing ? w -> w.errors : w -> w.badEvents) : w -> w.events));
        if (failing && bad && found.isEmpty()) {
            // errors that carry no telling value of their own (sshd's "error: Could not get shadow information") are
            // told by the warnings and failures that came with them
            merged = merged(windows, w -> w.badValues);
            found = over(merged, eventsOf(windows, w -> w.badEvents));
        }
        List<Anomaly.Influencer> result = new ArrayList<>(ranked(found));
        if (failing) { // a 5xx status restates that requests failed: where they went comes first
            List<Anomaly.Influencer> restating = result.stream()
                    .filter(i -> i.field().equals("status") && i.value().startsWith("5")).toList();
            result.removeAll(restating);
            result.addAll(restating);
        }
        // The upstream nearly all failing requests went to is named even when it is the only one: it is where to look.
        TopValues upstream = merged.get("upstream");
        if (failing && upstream != null && result.stream().noneMatch(i -> i.field().equals("upstream"))) {
            upstream.top(1).stream().filter(e -> e.getValue() >= 3 && e.getValue() >= 0.9 * upstream.total())
                    .forEach(e -> {
                        long[] total = totals.getOrDefault("upstream", Map.of()).get(e.getKey());
                        long before = Math.max((total == null ? 0 : total[0]) - e.getValue(), 0);
                        long outside = Math.max(events - upstream.total(), 0);
                        result.add(new Anomaly.Influencer("upstream", e.getKey(), e.getValue(), upstream.total(),
                                outside == 0 ? 0 : Math.min(1, (double) before / outside)));
                    });
        }
        return List.copyOf(result);
    }

    private static Map<String, TopValues> merged(List<WindowStats> windows,
                                                 java.util.function.Function<WindowStats, Map<String, TopValues>> values) {
        Map<String, TopValues> merged = new HashMap<>();
        for (WindowStats w : windows) {
            values.apply(w).forEach((f, v) -> merged.computeIfAbsent(f, k -> new TopValues(WindowStats.VALUES_PER_FIELD)).merge(v));
        }
        return merged;
    }

    private static long eventsOf(List<WindowStats> windows, java.util.function.ToLongFunction<WindowStats> count) {
        long n = 0;
        for (WindowStats w : windows) n += count.applyAsLong(w);
        return n;
    }

    /**
     * The over-represented values of {@code merged}; the baseline is every other event of the input. A value is
     * weighed among the anomaly's events that carry its field, except the value of a field with one value in the whole
     * input (a remote-write endpoint, the one exception a release raises): among all {@code anomalyEvents}, as among
     * its events that carry the field it would always be in 100 % of them.
     */
    private List<Anomaly.Influencer> over(Map<String, TopValues> merged, long anomalyEvents) {
        List<Anomaly.Influencer> found = new ArrayList<>();
        for (String field : fields) {
            TopValues values = merged.get(field);
            if (values == null) continue;
            boolean oneValued = totals.getOrDefault(field, Map.of()).size() < 2;
            long of = oneValued ? Math.max(anomalyEvents, values.total()) : values.total();
            for (Map.Entry<String, Long> top : values.top(2)) {
                candidate(field, top.getKey(), top.getValue(), of, top.getValue(), Math.max(events - of, 0), found);
            }
        }
        return found;
    }

    /**
     * A value an anomaly is about (an actor spike's client), named whatever its share: {@code count} of the {@code of}
     * events in the anomaly's windows, against its share of the input's other events.
     */
    Anomaly.Influencer named(String field, String value, long count, long of) {
        long[] total = totals.getOrDefault(field, Map.of()).get(value);
        long before = Math.max((total == null ? 0 : total[0]) - count, 0);
        long outside = Math.max(events - of, 0);
        return new Anomaly.Influencer(field, value, count, of, outside == 0 ? 0 : Math.min(1, (double) before / outside));
    }

    /**
     * The over-represented values among counts of some events (a new template's occurrences), against the rest of
     * the input.
     */
    List<Anomaly.Influencer> of(Map<String, Map<String, Long>> counts, long of) {
        List<Anomaly.Influencer> found = new ArrayList<>();
        counts.forEach((field, values) -> values.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(2)
                .forEach(e -> candidate(field, e.getKey(), e.getValue(), of, e.getValue(), Math.max(events - of, 0), found)));
        return ranked(found);
    }

    /**
     * For a message that came once or twice, too few to weigh against the rest: the values its events all carry (the
     * server of {@code Server app/s1 is DOWN}, the client of a single refused request), in the fields' order, except
     * fields with one value in the whole input and values that more than half the other events carry too.
     */
    List<Anomaly.Influencer> carried(Map<String, Map<String, Long>> counts, long of) {
        List<Anomaly.Influencer> found = new ArrayList<>();
        for (String field : fields) {
            Map<String, Long> values = counts.get(field);
            if (values == null || totals.getOrDefault(field, Map.of()).size() < 2) continue;
            values.entrySet().stream().filter(e -> e.getValue() == of).sorted(Map.Entry.comparingByKey())
                    .map(e -> named(field, e.getKey(), of, of))
                    .filter(i -> i.baselineShare() <= 0.5)   // the service of most lines names nothing
                    .forEach(found::add);
        }
        return found.size() > MAX_REPORTED ? List.copyOf(found.subList(0, MAX_REPORTED)) : List.copyOf(found);
    }

    private void candidate(String field, String value, long count, long of, long inAnomaly, long outside,
                           List<Anomaly.Influencer> found) {
        Map<String, long[]> fieldTotals = totals.getOrDefault(field, Map.of());
        if (of < 3 || fieldTotals.isEmpty() || outside < 10) {
            return; // too few events, or no "before" to compare with
        }
        long[] total = fieldTotals.get(value);
        long before = Math.max((total == null ? 0 : total[0]) - inAnomaly, 0);
        double baselineShare = Math.min(1, (double) before / outside);
        double share = (double) count / of;
        // a domain is found in the text of many lines (a mail server's own, its users'): named when most events carry it
        if (count >= 3 && share >= (field.equals("domain") ? 0.5 : 0.25) && share >= 2 * baselineShare + 0.05) {
            found.add(new Anomaly.Influencer(field, value, count, of, baselineShare));
        }
    }

    private static List<Anomaly.Influencer> ranked(List<Anomaly.Influencer> found) {
        // most over-represented first; an instance group or a domain (names guessed from the text) after the fields, as
        // they tell where to look only when nothing else does ("pool-*" of a stack trace is no better than the failing service)
        found.sort(Comparator.comparing((Anomaly.Influencer i) -> i.field().equals("instance") || i.field().equals("domain"))
                .thenComparingDouble(i -> -((double) i.count() / i.of() - i.baselineShare())));
        return found.size() > MAX_REPORTED ? List.copyOf(found.subList(0, MAX_REPORTED)) : List.copyOf(found);
    }

    /** An upstream as its address: nginx's error log names the whole URL ("http://10.0.0.5:8080/api/x?id=1"). */
    static String upstream(String value) {
        if (value == null) return null;
        int scheme = value.indexOf("://");
        if (scheme < 0) return value;
        int path = value.indexOf('/', scheme + 3);
        return path < 0 ? value : value.substring(0, path);
    }

    /** A path without its query string: endpoints, not parameters. */
    static String path(String path) {
        if (path == null) return null;
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static String firstException(String message) {
        List<String> names = ExceptionSignatures.of(message);
        return names.isEmpty() ? null : names.get(0);
    }

    /** The first IPv4 address in a text (sshd's "from 203.0.113.9", a database's client), or null. */
    static String address(String text) {
        int n = Math.min(text.length(), 2000);
        String first = null;
        // An address has a dot one to three digits after its start: look where the dots are (String.indexOf is
        // fast), not at every character; dots come in text order, so the first address found is the first one.
        for (int dot = text.indexOf('.'); dot >= 0 && dot < n; dot = text.indexOf('.', dot + 1)) {
            int s = dot;
            while (s > 0 && dot - s < 4 && isDigit(text.charAt(s - 1))) s--;
            if (s == dot || dot - s > 3) continue;
            if (s > 0 && (Character.isLetterOrDigit(text.charAt(s - 1)) || text.charAt(s - 1) == '.')) continue;
            String found = addressAt(text, s, n);
            if (found == null) continue;
            // The peer's address, where the line names one after its own ("request to address 127.0.0.1 … from
            // unknown client 127.0.0.57"): the first address said to be a client's or where something came from.
            if (peer(text, s)) return found;
            if (first == null) first = withServicePort(text, s + found.length(), n, found);
            dot = s + found.length() - 1;
        }
        return first;
    }

    /**
     * The group of the first numbered instance a message names, as {@code name-*}: "sensor-hall3-*" for
     * "Client sensor-hall3-012 has exceeded timeout", "notifier-*" for "… - notifier-1):". An instance is a word of
     * letters, digits, '-' and '_' that starts with a letter and ends in '-' and one to four digits, with two letters
     * or more before them, standing alone (not in a path, a file or host name, a key=value's key, nor a character set
     * such as utf-8); null when none.
     * Devices, workers and pods named by number fail together by group (a hall's sensors, a pool's workers), and each
     * one alone is too rare to stand out.
     */
    static String instance(String text) {
        int n = Math.min(text.length(), 2000);
        for (int dash = text.indexOf('-'); dash >= 0 && dash < n; dash = text.indexOf('-', dash + 1)) {
            int e = dash + 1;
            while (e < n && isDigit(text.charAt(e))) e++;
            int digits = e - dash - 1;
            if (digits < 1 || digits > 4) continue;
            if (e < text.length() && (instanceChar(text.charAt(e)) || text.charAt(e) == '.' || text.charAt(e) == '/'
                    || text.charAt(e) == '=')) continue;
            int s = dash;
            int letters = 0;
            while (s > 0 && instanceChar(text.charAt(s - 1))) {
                s--;
                if (Character.isLetter(text.charAt(s))) letters++;
            }
            if (letters < 2 || !Character.isLetter(text.charAt(s))) continue;
            if (s > 0 && (text.charAt(s - 1) == '/' || text.charAt(s - 1) == '.')) continue;
            if (text.regionMatches(true, s, "utf-", 0, 4) || text.regionMatches(true, s, "iso-", 0, 4)
                    || text.regionMatches(true, s, "ucs-", 0, 4)) continue; // character sets
            if (algorithm(text, s, dash)) continue;
            return text.substring(s, dash + 1) + "*";
        }
        return null;
    }

    /** Words that name an algorithm by its size, not an instance by its number (sha-256, AES-128, crc-32). */
    private static final Set<String> ALGORITHMS = Set.of("sha", "aes", "crc", "md", "rsa", "des", "ecdsa", "ec");

    // Whether the word text[s, dash) ends in an algorithm's name: "scram-sha" of PostgreSQL's method=scram-sha-256.
    private static boolean algorithm(String text, int s, int dash) {
        int from = dash;
        while (from > s && text.charAt(from - 1) != '-') from--;
        return ALGORITHMS.contains(text.substring(from, dash).toLowerCase(java.util.Locale.ROOT));
    }

    /** Top-level labels that end a domain name in a text, besides the two-letter country codes. */
    private static final Set<String> TOP_LEVEL = Set.of("com", "net", "org", "edu", "gov", "mil", "info", "biz", "arpa",
            "example", "test", "local", "localdomain", "invalid", "internal", "lan", "corp", "intranet");
    /** Two-letter endings that are far more often a file's (a script, an archive) than a country's. */
    private static final Set<String> FILE_ENDINGS = Set.of("sh", "py", "js", "rb", "so", "gz", "go", "ts", "db", "md",
            "pm", "hs", "cs", "ps", "ko", "mo", "po", "xz", "kt", "jl", "rs", "cc", "id");
    /** Second-level labels under which a country's domains are registered (example.co.uk). */
    private static final Set<String> SECOND_LEVEL = Set.of("co", "com", "net", "org", "ac", "gov", "edu", "ne", "or");

    /**
     * The registered domain of the first domain name in a text: "partner.test" for BIND's "query failed (timed out)
     * for status.partner.test/IN/A", "example.co.uk" for "relay=mx1.example.co.uk[…]"; null when none. A name is
     * two labels or more of lower-case letters, digits and '-' ending in a known top-level label or a two-letter
     * country code, and not a path's part, a file ("app.log", "query.c:5708"), a Java or Python name with capitals or
     * '_' in it, nor a call ("os.path(…)"). Queries, mail and requests that fail for one partner fail by its domain,
     * whatever host of it each line names.
     */
    static String domain(String text) {
        int n = Math.min(text.length(), 2000);
        for (int dot = text.indexOf('.'); dot >= 0 && dot < n; dot = text.indexOf('.', dot + 1)) {
            if (dot == 0 || !instanceChar(text.charAt(dot - 1))) continue;
            int s = dot;
            while (s > 0 && (instanceChar(text.charAt(s - 1)) || text.charAt(s - 1) == '.')) s--;
            int e = dot;
            while (e < n && (instanceChar(text.charAt(e)) || text.charAt(e) == '.')) e++;
            String found = documentation(text, s) ? null : registered(text, s, e);
            if (found != null) return withPort(text, s, e, n, found);
            dot = e;
        }
        return null;
    }

    /**
     * Whether the name at {@code s} is the host of a link the message points the reader to ("… See
     * http://activemq.apache.org/producer-flow-control.html", "Greylisted, see http://postgrey.schweikert.ch/help/…"):
     * documentation, not what the line is about.
     */
    private static boolean documentation(String text, int s) {
        if (s < 4 || !text.startsWith("://", s - 3)) return false;
        int scheme = s - 3;
        while (scheme > 0 && Character.isLetter(text.charAt(scheme - 1))) scheme--;
        if (scheme < 2 || text.charAt(scheme - 1) != ' ') return false;
        int e = scheme - 1;
        if (text.charAt(e - 1) == ':') e--; // "see: http://…"
        return endsWithWord(text, e, "see") || endsWithWord(text, e, "visit");
    }

    /**
     * A host name with the port written after it ({@code repo.corp.example:20223}, a proxy's origin, a client's
     * server) is one service's endpoint: named whole, not by its registered domain. Else {@code registered}.
     */
    private static String withPort(String text, int s, int e, int n, String registered) {
        int q = text.charAt(e - 1) == '.' ? -1 : portEnd(text, e, n, 65536);
        if (q < 0) return registered;
        while (text.charAt(s) == '.') s++;
        return text.substring(s, q);
    }

    /**
     * The end of a port written at {@code p} as ':' and one to five digits standing alone, with a value from 1 to
     * below {@code below}; -1 when there is none.
     */
    private static int portEnd(String text, int p, int n, int below) {
        if (p + 1 >= n || text.charAt(p) != ':') return -1;
        int q = p + 1;
        while (q < n && q - p <= 5 && isDigit(text.charAt(q))) q++;
        if (q == p + 1 || q - p > 6 || (q < n && (Character.isLetterOrDigit(text.charAt(q)) || text.charAt(q) == '.'
                || text.charAt(q) == ':'))) {
            return -1;
        }
        int port = Integer.parseInt(text, p + 1, q, 10);
        return port > 0 && port < below ? q : -1;
    }

    // The registered domain of the name text[s, e) (a run of name characters and dots), or null when it is none.
    private static String registered(String text, int s, int e) {
        while (e > s && text.charAt(e - 1) == '.') e--; // an absolute name's dot, or a sentence's
        while (s < e && text.charAt(s) == '.') s++;
        if (s > 0) {
            char before = text.charAt(s - 1);
            if ((before == '/' && !(s > 1 && text.charAt(s - 2) == '/')) || before == '\\' || before == '$') return null;
        }
        if (e < text.length() && (text.charAt(e) == '(' || text.charAt(e) == '=')) return null;
        int lastDot = -1;
        int dotBefore = -1; // the dot before the last one
        int labelStart = s;
        int labels = 0;
        for (int i = s; i <= e; i++) {
            char c = i < e ? text.charAt(i) : '.';
            if (c == '.') {
                if (i == labelStart || text.charAt(labelStart) == '-' || text.charAt(i - 1) == '-') return null;
                labels++;
                if (i < e) {
                    dotBefore = lastDot;
                    lastDot = i;
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return null; // capitals or '_': a Java class, a Python module, a file name
            }
        }
        if (labels < 2) return null;
        String top = text.substring(lastDot + 1, e);
        for (int i = 0; i < top.length(); i++) {
            if (top.charAt(i) < 'a' || top.charAt(i) > 'z') return null;
        }
        boolean country = top.length() == 2 && !FILE_ENDINGS.contains(top);
        if (!country && !TOP_LEVEL.contains(top)) return null;
        int from = labels == 2 ? s : dotBefore + 1;
        if (country && labels >= 3 && SECOND_LEVEL.contains(text.substring(dotBefore + 1, lastDot))) {
            int third = text.lastIndexOf('.', dotBefore - 1);
            from = third < s ? s : third + 1;
        }
        return text.substring(from, e);
    }

    private static boolean instanceChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-' || c == '_';
    }

    /** Whether the address at {@code at} follows "from" or "client" (a bracket or parenthesis between them). */
    private static boolean peer(String text, int at) {
        int e = at;
        if (e > 0 && (text.charAt(e - 1) == '[' || text.charAt(e - 1) == '(')) e--;
        if (e == 0 || text.charAt(e - 1) != ' ') return false;
        e--;
        return endsWithWord(text, e, "from") || endsWithWord(text, e, "client");
    }

    private static boolean endsWithWord(String text, int end, String word) {
        int s = end - word.length();
        return s >= 0 && text.regionMatches(true, s, word, 0, word.length())
                && (s == 0 || !Character.isLetterOrDigit(text.charAt(s - 1)));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The address with the port written after it ({@code tcp:127.0.0.1:20212}, a backend's), when that port is below
     * Linux's ephemeral range: a service's port tells which of a host's services failed, where a client's changes
     * with every connection and would split one client into many values.
     */
    private static String withServicePort(String text, int p, int n, String address) {
        int q = address.indexOf('/') >= 0 ? -1 : portEnd(text, p, n, EPHEMERAL_PORTS);
        return q < 0 ? address : text.substring(p - address.length(), q);
    }

    /** Linux's ephemeral ports (a client's side of a connection) start here. */
    private static final int EPHEMERAL_PORTS = 32768;

    /** The address that starts at {@code i} (a digit after neither a letter, a digit nor a dot), or null. */
    private static String addressAt(String text, int i, int n) {
        int p = i;
        int dots = 0;
        int digits = 0;
        while (p < n) {
            char d = text.charAt(p);
            if (d >= '0' && d <= '9') {
                if (++digits > 3) break;
            } else if (d == '.' && digits > 0 && dots < 3) {
                dots++;
                digits = 0;
            } else {
                break;
            }
            p++;
        }
        if (dots == 3 && digits > 0 && (p >= n || !Character.isLetterOrDigit(text.charAt(p)))) {
            // a network with its prefix length (Kea's "in the subnet 10.30.0.0/24"): the subnet, not its first address
            if (p + 1 < n && text.charAt(p) == '/' && isDigit(text.charAt(p + 1))) {
                int q = p + 1;
                while (q < n && q - p <= 2 && isDigit(text.charAt(q))) q++;
                if (q - p <= 3 && Integer.parseInt(text, p + 1, q, 10) <= 32
                        && (q >= n || !(Character.isLetterOrDigit(text.charAt(q)) || text.charAt(q) == '.'
                        || text.charAt(q) == '/'))) {
                    return text.substring(i, q);
                }
            }
            return text.substring(i, p);
        }
        return null;
    }
}
