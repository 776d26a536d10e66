package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Samba's log files (smbd, nmbd, winbindd, samba-dcerpcd): a header line with the stamp, the debug level and where in
 * the source the message was written, then the message on the lines below it, indented.
 * <pre>
 * [2026/12/03 13:15:31.937349,  2] ../../auth/auth_log.c:647(log_authentication_event_human_readable)
 *   Auth: [SMB2,(null)] user [OFFICE]\[pneumann] at [Thu, 03 Dec 2026 13:15:31.937330 UTC] with [NTLMv2] status [NT_STATUS_WRONG_PASSWORD] workstation [NB-PNEUMANN] remote host [ipv4:127.0.0.107:52815] mapped to [OFFICE]\[pneumann]. local host [ipv4:127.0.0.1:445]
 * [2026/12/03 13:18:58.831433,  0] ../../source3/smbd/smb2_service.c:772(make_connection_snum)
 *   make_connection_snum: canonicalize_connect_path failed for service projects, path /srv/shares/projects
 * [2026/12/03 13:15:13.342500,  1] ../../source3/modules/vfs_full_audit.c:643(do_log)
 *   svc-scan|127.0.0.30|connect|ok|scans
 * [2026/12/03 13:15:09.989850,  0, pid=24795, effective(0, 0), real(0, 0)] smbd version 4.17.12-Debian started.
 * </pre>
 * The message is the indented lines, the header's text when it has one ({@code debug prefix timestamp}). Debug level
 * 0 is an error, 1 a warning (Samba's DBG_ERR and DBG_WARNING), 2 to 4 information, 5 and above debugging. The source
 * file, as {@code smbd/smb2_service}, is the service; {@code pid=} and {@code class=} of the header are attributes.
 * An authentication line gives {@code user}, {@code client} (the remote host's address), {@code workstation} and
 * {@code result} (the NT status): a warning unless the status is {@code NT_STATUS_OK}. A {@code full_audit} line
 * ({@code user|address|…|operation|ok|arguments}) gives {@code user}, {@code client}, {@code operation} and
 * {@code result}, information when it is {@code ok} and a warning when it failed; its fields are spaced
 * ({@code a | b}) so that each is a word of the message's template.
 */
final class SambaFormat implements LogFormat {

    private static final int MAX_LOCATION = 200;
    /**
     * Debug level 0 is what Samba always logs: its errors, and a few notices it must not lose (the start-up banner
     * "smbd version 4.17.12 started."). A level-0 message is an error when it says something failed, else a warning.
     */
    private static final Pattern FAILED = Pattern.compile("(?i)\\b(fail(s|ed|ure)?|error|cannot|can't|could not|unable"
            + "|denied|refused|panic|abort(ed|ing)?|invalid|not found|no such|timed? ?out)\\b");

    private final TimestampParser timestamps;
    private final RecentText services = new RecentText();

    SambaFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "samba";
    }

    @Override
    public boolean foldsUntimedLines() {
        return true; // the message lines under a header
    }

    @Override
    public boolean continues(String line) {
        return !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') || LogFormat.super.continues(line);
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 26 || line.charAt(0) != '[') return null;
        int end = TimestampParser.isoEnd(line, 1);
        if (end < 0 || end + 3 >= n || line.charAt(5) != '/' || line.charAt(end) != ',') return null;
        int p = end + 1;
        while (p < n && line.charAt(p) == ' ') p++;
        int levelEnd = TimestampParser.digitsEnd(line, p, n);
        if (levelEnd == p || levelEnd - p > 3 || levelEnd >= n) return null;
        int debugLevel = Integer.parseInt(line, p, levelEnd, 10);
        int close = line.indexOf(']', levelEnd);
        if (close < 0 || (line.charAt(levelEnd) != ']' && line.charAt(levelEnd) != ',')) return null;
        Instant timestamp = timestamps.iso(line, 1, end);
        if (timestamp == null) return null;
        Attributes attributes = new Attributes(4);
        if (close > levelEnd) extras(line, levelEnd, close, attributes);
        int text = close + 1;
        while (text < n && line.charAt(text) == ' ') text++;
        int location = location(line, text, n);
        String service = null;
        String message;
        if (location >= 0) {
            service = services.of(line, location, sourceEnd(line, location, n));
            attributes.addSpan("location", line, text, n);
            message = line.substring(text); // until the lines below it say more
        } else {
            message = line.substring(text);
        }
        Level level = level(debugLevel);
        if (location < 0) level = told(level, message);
        return new LogEvent(source, timestamp, level, service, null, message, attributes, line, ref);
    }

    /**
     * The header's message lines: the event's message (each line without its indentation), with what an
     * authentication or audit line says read into attributes.
     */
    @Override
    public LogEvent withFolded(LogEvent event, String folded) {
        String location = event.attributes().get("location");
        if (location == null || !location.equals(event.message())) return LogFormat.super.withFolded(event, folded);
        String message = unindented(folded);
        Attributes attributes = new Attributes(event.attributes().size() + 4);
        event.attributes().forEach(attributes::add);
        Level level = told(event.level(), message);
        if (message.startsWith("Auth: ")) {
            level = authentication(message, attributes, level);
        } else if (location.contains("full_audit")) {
            int ok = auditResult(message);
            if (ok >= 0) {
                level = audit(message, ok, attributes);
                message = message.replace("|", " | ");
            }
        }
        return new LogEvent(event.source(), event.timestamp(), level, event.service(), event.host(), message,
                attributes, event.raw() + "\n" + folded, event.ref());
    }

    /** A level-0 message's level once its text is known: an error when it says something failed, else a warning. */
    private static Level told(Level level, String message) {
        return level == Level.ERROR && !FAILED.matcher(message).find() ? Level.WARN : level;
    }

    private static Level level(int debugLevel) {
        if (debugLevel == 0) return Level.ERROR;
        if (debugLevel == 1) return Level.WARN;
        return debugLevel < 5 ? Level.INFO : Level.DEBUG;
    }

    private static final String[] EXTRAS = {"pid", "class"};
    private static final String[] EXTRA_MARKS = {", pid=", ", class="};

    /** The header's {@code , pid=24795, class=auth_audit, effective(0, 0)…} between the level and the bracket. */
    private static void extras(String line, int from, int close, Attributes attributes) {
        for (int k = 0; k < EXTRAS.length; k++) {
            int at = line.indexOf(EXTRA_MARKS[k], from);
            if (at < 0 || at > close) continue;
            String key = EXTRAS[k];
            int v = at + EXTRA_MARKS[k].length();
            int e = v;
            while (e < close && line.charAt(e) != ',' && line.charAt(e) != ']') e++;
            if (e > v) attributes.addSpan(key, line, v, e);
        }
    }

    /**
     * Where the source file's name starts in a location {@code ../../source3/smbd/server.c:1741(main)} that is the
     * whole of {@code line[from, n)} (its last directory with it: {@code smbd/server.c}), or -1 when the text is a
     * message.
     */
    private static int location(String line, int from, int n) {
        if (n - from < 6 || n - from > MAX_LOCATION || line.charAt(n - 1) != ')' || line.indexOf(' ', from) >= 0) return -1;
        int open = line.lastIndexOf('(', n - 1);
        int colon = open < 0 ? -1 : line.lastIndexOf(':', open);
        if (colon <= from || TimestampParser.digitsEnd(line, colon + 1, open) != open || open == colon + 1) return -1;
        int slash = line.lastIndexOf('/', colon);
        if (slash < from) return from;
        int dir = line.lastIndexOf('/', slash - 1);
        return dir < from ? from : dir + 1;
    }

    /** End of the source file's name at {@code start}, without {@code .c} and the line number. */
    private static int sourceEnd(String line, int start, int n) {
        int colon = line.lastIndexOf(':', line.lastIndexOf('(', n - 1));
        return line.startsWith(".c", colon - 2) ? colon - 2 : colon;
    }

    private static String unindented(String folded) {
        if (folded.indexOf('\n') < 0) return folded.strip();
        StringBuilder b = new StringBuilder(folded.length());
        for (String part : folded.split("\n")) {
            if (b.length() > 0) b.append('\n');
            b.append(part.strip());
        }
        return b.toString();
    }

    /**
     * {@code Auth: [SMB2,(null)] user [OFFICE]\[anna] at [...] with [NTLMv2] status [NT_STATUS_WRONG_PASSWORD]
     * workstation [PC-1] remote host [ipv4:127.0.0.7:52815] ...}: a warning unless the status is NT_STATUS_OK.
     */
    private static Level authentication(String message, Attributes attributes, Level level) {
        String user = bracketed(message, "]\\[", message.indexOf(" user ["));
        if (user != null && !user.isEmpty()) attributes.add("user", user);
        String result = bracketed(message, " status [", 0);
        if (result != null) attributes.add("result", result);
        String workstation = bracketed(message, " workstation [", 0);
        if (workstation != null && !workstation.isEmpty()) attributes.add("workstation", workstation);
        int remote = message.indexOf(" remote host [");
        if (remote >= 0) {
            String address = hostAddress(message, remote + 14);
            if (address != null) attributes.add("client", address);
        }
        if (result == null) return level;
        return result.equals("NT_STATUS_OK") ? Level.INFO : Level.WARN;
    }

    /** The text in brackets after {@code key} (searched from {@code from}), or null. */
    private static String bracketed(String message, String key, int from) {
        if (from < 0) return null;
        int at = message.indexOf(key, from);
        if (at < 0) return null;
        int start = at + key.length();
        int close = message.indexOf(']', start);
        return close < 0 || close - start > 256 ? null : message.substring(start, close);
    }

    /** The address of {@code ipv4:127.0.0.7:52815]} or {@code ipv6:[::1]:445]} at {@code from}, or null. */
    private static String hostAddress(String message, int from) {
        int colon = message.indexOf(':', from);
        if (colon < 0 || colon - from > 5) return null;
        if (message.startsWith("[", colon + 1)) {
            int close = message.indexOf(']', colon + 2);
            return close < 0 || close - colon > 48 ? null : message.substring(colon + 2, close);
        }
        int close = message.indexOf(']', colon + 1);
        if (close < 0 || close - colon > 48) return null;
        int port = message.lastIndexOf(':', close);
        return message.substring(colon + 1, port > colon ? port : close);
    }

    /** Where an audit line's result field ({@code ok} or {@code fail (reason)}) starts, or -1. */
    private static int auditResult(String message) {
        int ok = message.indexOf("|ok|");
        int fail = message.indexOf("|fail");
        if (ok < 0 && fail < 0) {
            if (message.endsWith("|ok")) ok = message.length() - 3;
            else return -1;
        }
        return ok < 0 ? fail + 1 : fail < 0 ? ok + 1 : Math.min(ok, fail) + 1;
    }

    /** {@code user|address|…|operation|result|arguments}: the fields before the operation name who did it. */
    private static Level audit(String message, int result, Attributes attributes) {
        int opEnd = result - 1;
        int opStart = message.lastIndexOf('|', opEnd - 1) + 1;
        if (opStart < opEnd) attributes.add("operation", message.substring(opStart, opEnd));
        int resultEnd = message.indexOf('|', result);
        attributes.add("result", message.substring(result, resultEnd < 0 ? message.length() : resultEnd));
        int p = 0;
        for (int field = 0; p < opStart; field++) {
            int bar = message.indexOf('|', p);
            String value = message.substring(p, bar);
            if (!value.isEmpty() && LayoutFormat.isAddress(value)) {
                attributes.add("client", value);
            } else if (field == 0 && !value.isEmpty()) {
                attributes.add("user", value);
            }
            p = bar + 1;
        }
        return message.startsWith("ok", result) ? Level.INFO : Level.WARN;
    }
}
