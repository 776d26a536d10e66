package io.logwarden.ingest;

import io.logwarden.event.Level;
import java.util.Map;

/**
 * An LDAP server's statistics lines, as OpenLDAP's slapd writes them through syslog ({@code loglevel stats}): one line
 * per connection event or operation, each naming its connection. (389 Directory Server's access log has the same
 * {@code conn= op=} form in a file of its own, whose lines do not come through here.)
 * <pre>
 * conn=1035 fd=11 ACCEPT from IP=127.0.0.66:42989 (IP=127.0.0.1:389)
 * conn=1035 op=0 BIND dn="uid=bob,ou=people,dc=corp,dc=example" method=128
 * conn=1035 op=0 RESULT tag=97 err=49 qtime=0.000026 etime=0.000143 text=
 * </pre>
 * Attributes: {@code conn}; the accepting line's peer address as {@code client}; a bind's DN as {@code user}; a
 * result's code as {@code status} with {@code protocol} LDAP. A result's code sets the level: success, compare
 * results, a referral, a SASL step and "no such object" keep the line's level, the server's own failures (busy,
 * unavailable, other) are errors, any other code (invalid credentials 49, insufficient access 50, a size or time
 * limit exceeded) a warning.
 */
final class LdapStats {

    private LdapStats() {
    }

    /** Whether a message is a statistics line: {@code conn=} and digits, then a space. */
    static boolean is(String message) {
        if (!message.startsWith("conn=")) return false;
        int end = digitsEnd(message, 5);
        return end > 5 && end < message.length() && message.charAt(end) == ' ';
    }

    /** Reads the line's attributes into {@code attributes}; returns its level ({@code level} unless a result says otherwise). */
    static Level read(String message, Map<String, String> attributes, Level level) {
        int connEnd = digitsEnd(message, 5);
        attributes.put("conn", message.substring(5, connEnd));
        int accept = message.indexOf(" ACCEPT from IP=", connEnd);
        if (accept > 0) {
            int from = accept + 16;
            int end = from;
            while (end < message.length() && (TimestampParser.isDigit(message.charAt(end)) || message.charAt(end) == '.')) end++;
            if (end > from) attributes.put("client", message.substring(from, end));
            return level;
        }
        int bind = message.indexOf(" BIND dn=\"", connEnd);
        if (bind > 0) {
            int close = message.indexOf('"', bind + 10);
            if (close > bind + 10) attributes.put("user", message.substring(bind + 10, close));
            return level;
        }
        int result = message.indexOf("RESULT ", connEnd);
        int err = result < 0 ? -1 : message.indexOf(" err=", result);
        if (err < 0) return level;
        int codeEnd = digitsEnd(message, err + 5);
        if (codeEnd == err + 5) return level;
        String code = message.substring(err + 5, codeEnd);
        attributes.put("status", code);
        attributes.put("protocol", "LDAP");
        return switch (Integer.parseInt(code)) {
            case 0, 5, 6, 10, 14, 32 -> level;
            case 51, 52, 80 -> Level.ERROR;
            default -> level == Level.ERROR || level == Level.FATAL ? level : Level.WARN;
        };
    }

    /** The end of the number at {@code from}: nine digits at most, an int. */
    private static int digitsEnd(String text, int from) {
        return TimestampParser.digitsEnd(text, from, Math.min(text.length(), from + 9));
    }
}
