package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Syslog in its two wire formats and the way files hold them:
 * <pre>
 * RFC 3164: &lt;34&gt;Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8
 * file:     Oct 11 22:14:15 mymachine su[123]: ...              (no PRI, as in /var/log/syslog)
 * rsyslog:  2026-01-15T10:00:00.123456+00:00 mymachine su[123]: ... (high-precision file stamps)
 * RFC 5424: &lt;165&gt;1 2003-10-11T22:14:15.003Z host app procid msgid [id k="v"] msg
 * </pre>
 * The level comes from the PRI severity; without a PRI, from a level word in the message, else INFO (what a
 * relay assumes for a message without PRI: user.notice). The program is the service.
 */
final class SyslogFormat implements LogFormat {

    private static final int MAX_TAG = 64;

    private final TimestampParser timestamps;

    SyslogFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 16) return null;
        int p = 0;
        int pri = -1;
        if (line.charAt(0) == '<') {
            int end = line.indexOf('>');
            if (end < 2 || end > 4) return null;
            pri = 0;
            for (int i = 1; i < end; i++) {
                char c = line.charAt(i);
                if (!TimestampParser.isDigit(c)) return null;
                pri = pri * 10 + (c - '0');
            }
            if (pri > 191) return null;
            p = end + 1;
            if (p + 2 < n && line.charAt(p) == '1' && line.charAt(p + 1) == ' ') {
                return rfc5424(line, p + 2, pri, source, ref);
            }
        }
        // timestamp: "Mmm dd HH:mm:ss" (15 chars) or ISO
        Instant timestamp;
        int tsEnd;
        boolean iso = TimestampParser.isDigit(line.charAt(p));
        if (iso) {
            // rsyslog's RFC 3339 file stamps always have the 'T'; a space means an application log
            tsEnd = TimestampParser.isoEnd(line, p);
            if (tsEnd < 0 || line.charAt(p + 10) != 'T') return null;
            timestamp = timestamps.iso(line, p, tsEnd);
        } else {
            tsEnd = p + 15;
            if (tsEnd >= n) return null;
            if (line.charAt(tsEnd) == '.') { // fractional seconds
                while (tsEnd + 1 < n && TimestampParser.isDigit(line.charAt(tsEnd + 1))) tsEnd++;
                tsEnd++;
            }
            timestamp = timestamps.syslog(line, p, tsEnd);
        }
        if (timestamp == null || tsEnd >= n || line.charAt(tsEnd) != ' ') return null;
        p = tsEnd + 1;
        int hostEnd = line.indexOf(' ', p);
        if (hostEnd <= p) return null;
        int tab = line.indexOf('\t', p);
        if (tab >= 0 && tab < hostEnd) {
            return null; // "<stamp> name\tinfo\tmessage": tab-separated columns (Prosody), not a host
        }
        String host = line.substring(p, hostEnd);
        if (hostEnd - p >= 3 && hostEnd - p <= 12 && levelHeader(host)) {
            return null; // "<stamp> ERROR ...": an application log, not a host name (a host may be called "log")
        }
        if (!iso && tagEnd(line, p) == hostEnd - 1) {
            host = null; // "<stamp> prog[pid]: ...": a program's own file in syslog's form, with no host (Dovecot)
        } else {
            p = hostEnd + 1;
        }

        Map<String, String> attributes = new HashMap<>(4);
        String program = null;
        int tagEnd = tagEnd(line, p);
        if (tagEnd > 0) {
            int bracket = line.indexOf('[', p);
            int paren;
            if (bracket > p && bracket < tagEnd && line.charAt(tagEnd - 1) == ']') {
                program = line.substring(p, bracket);
                attributes.put("pid", line.substring(bracket + 1, tagEnd - 1));
            } else if ((paren = dovecotUser(line, p, tagEnd)) > 0) {
                // Dovecot's mail_log_prefix "%s(%u)<%{pid}><%{session}>: ": service, user, pid, session
                program = line.substring(p, paren);
                int close = line.indexOf(')', paren);
                attributes.put("user", line.substring(paren + 1, close));
                int pidEnd = line.indexOf('>', close);
                attributes.put("pid", line.substring(close + 2, pidEnd));
                if (pidEnd + 1 < tagEnd && line.charAt(pidEnd + 1) == '<' && line.charAt(tagEnd - 1) == '>') {
                    attributes.put("session", line.substring(pidEnd + 2, tagEnd - 1));
                }
            } else {
                program = line.substring(p, tagEnd);
            }
            p = tagEnd + 1; // past ':'
            if (p < n && line.charAt(p) == ' ') p++;
        } else if (iso) {
            return null; // without a program tag an ISO-stamped line is too likely some other format
        }
        String message = line.substring(Math.min(p, n));
        Level level;
        int marker;
        if (host == null && pri < 0 && (marker = levelMarker(message)) > 0) {
            // a program's own file says its level after the tag ("imap-login: Info: Login: ..."): the level, not text
            level = Level.parseLetters(message, 0, marker);
            message = message.substring(marker + 2);
        } else if (pri >= 0) {
            level = Level.fromSyslogSeverity(pri & 7);
            attributes.put("facility", Integer.toString(pri >> 3));
        } else {
            Level word = LevelWords.find(message);
            level = word == null ? Level.INFO : word;
        }
        if (LdapStats.is(message)) level = LdapStats.read(message, attributes, level); // slapd's conn=… op=… lines
        return new LogEvent(source, timestamp, level, program, host, message, attributes, line, ref);
    }

    /** The length of a level word and ':' opening the message ("Info: ", "Warning: "), or -1. */
    private static int levelMarker(String message) {
        int i = 0;
        while (i < message.length() && i <= 9 && Character.isLetter(message.charAt(i))) i++;
        return i >= 3 && i + 1 < message.length() && message.charAt(i) == ':' && message.charAt(i + 1) == ' '
                && Level.parseLetters(message, 0, i) != Level.UNKNOWN ? i : -1;
    }

    // "ERROR", "WARN:", "info:": a level where a host would be; "log" or "crit" alone may be a host's name.
    private static boolean levelHeader(String word) {
        boolean colon = word.endsWith(":");
        String w = colon ? word.substring(0, word.length() - 1) : word;
        return Level.parse(w) != Level.UNKNOWN && (colon || w.equals(w.toUpperCase(java.util.Locale.ROOT)));
    }

    /**
     * Where the '(' of a Dovecot tag "service(user)<pid>..." opens (tag from {@code p} to the ':' at {@code tagEnd}),
     * or -1: a name, a parenthesised user and a pid in angle brackets right after it. Other parentheses in a tag
     * (Linux's "sshd(pam_unix)[123]") are left in the program's name.
     */
    private static int dovecotUser(String line, int p, int tagEnd) {
        int paren = p + 1;
        while (paren < tagEnd && line.charAt(paren) != '(') paren++; // within the tag, not the whole line
        if (paren >= tagEnd) return -1;
        int close = line.indexOf(')', paren);
        if (close < 0 || close + 2 >= tagEnd || line.charAt(close + 1) != '<' || close == paren + 1) return -1;
        int i = close + 2;
        while (i < tagEnd && TimestampParser.isDigit(line.charAt(i))) i++;
        return i > close + 2 && i < tagEnd && line.charAt(i) == '>' ? paren : -1;
    }

    // End of a "prog[pid]" or "prog" tag (index of the ':' that closes it), or -1 when there is no tag.
    private static int tagEnd(String line, int p) {
        int n = Math.min(line.length(), p + MAX_TAG);
        for (int i = p; i < n; i++) {
            char c = line.charAt(i);
            if (c == ':') {
                return i > p && (i + 1 == line.length() || line.charAt(i + 1) == ' ') ? i : -1;
            }
            if (c == ' ') return -1;
        }
        return -1;
    }

    // After "<PRI>1 ": TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]; "-" is the nil value.
    private LogEvent rfc5424(String line, int p, int pri, String source, SourceRef ref) {
        int n = line.length();
        String[] fields = new String[5];
        for (int f = 0; f < 5; f++) {
            int end = line.indexOf(' ', p);
            if (end < 0) {
                if (f < 4) return null;
                end = n;
            }
            fields[f] = line.substring(p, end);
            p = Math.min(end + 1, n);
        }
        Instant timestamp = "-".equals(fields[0]) ? null : timestamps.parse(fields[0]);
        if (timestamp == null && !"-".equals(fields[0])) return null;
        Map<String, String> attributes = new Attributes(4);
        attributes.put("facility", Integer.toString(pri >> 3));
        if (!"-".equals(fields[3])) attributes.put("pid", fields[3]);
        if (!"-".equals(fields[4])) attributes.put("msgid", fields[4]);
        if (p < n && line.charAt(p) == '-') {
            p = Math.min(p + 2, n);
        } else if (p < n && line.charAt(p) == '[') {
            p = structuredData(line, p, attributes);
            if (p < 0) return null;
            if (p < n && line.charAt(p) == ' ') p++;
        }
        String message = line.substring(Math.min(p, n));
        if (!message.isEmpty() && message.charAt(0) == '\uFEFF') message = message.substring(1);
        return new LogEvent(source, timestamp, Level.fromSyslogSeverity(pri & 7), nil(fields[2]), nil(fields[1]),
                message, attributes, line, ref);
    }

    // [id k="v" k2="v2"][id2 ...] -> attributes "sd.id.k"; returns the index after the last ']' or -1.
    private static int structuredData(String line, int p, Map<String, String> attributes) {
        int n = line.length();
        while (p < n && line.charAt(p) == '[') {
            int idEnd = p + 1;
            while (idEnd < n && line.charAt(idEnd) != ' ' && line.charAt(idEnd) != ']') idEnd++;
            if (idEnd >= n) return -1;
            String id = line.substring(p + 1, idEnd);
            p = idEnd;
            while (p < n && line.charAt(p) == ' ') {
                int eq = line.indexOf('=', p);
                if (eq < 0 || eq + 1 >= n || line.charAt(eq + 1) != '"') return -1;
                int close = AccessLogFormat.closingQuote(line, eq + 2);
                if (close < 0) return -1;
                attributes.put("sd." + id + "." + line.substring(p + 1, eq),
                        line.substring(eq + 2, close).replace("\\\"", "\"").replace("\\]", "]").replace("\\\\", "\\"));
                p = close + 1;
            }
            if (p >= n || line.charAt(p) != ']') return -1;
            p++;
        }
        return p;
    }

    private static String nil(String value) {
        return "-".equals(value) ? null : value;
    }
}
