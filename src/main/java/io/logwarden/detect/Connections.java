package io.logwarden.detect;

import io.logwarden.event.LogEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries a connection's peer and user to its later lines, within one job: an LDAP server names the client's address
 * on a connection's {@code ACCEPT} line and the DN on its {@code BIND} line, but its {@code RESULT} line ("err=49":
 * the bind failed) only says {@code conn=1035}. Events with a {@code conn} attribute (the formats set it) get the
 * {@code client} and {@code user} influencer values last seen on their connection where they have none. The most
 * recent {@link #MAX_CONNECTIONS} connections are kept. Not thread-safe: the job's thread only.
 */
final class Connections {

    /** Connections remembered at once; the oldest is forgotten first (a connection's lines come close together). */
    static final int MAX_CONNECTIONS = 10_000;

    private final int width;
    private final int client;
    private final int user;
    private final Map<String, String[]> byConnection = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
            return size() > MAX_CONNECTIONS;
        }
    };

    /** @param names the influencer fields, in the order of their values */
    Connections(String[] names) {
        this.width = names.length;
        this.client = indexOf(names, "client");
        this.user = indexOf(names, "user");
    }

    /**
     * The event's influencer values with its connection's client and user filled in where it has none (a new array
     * when it had no values at all); {@code values} itself otherwise, changed in place.
     */
    String[] carry(LogEvent event, String[] values) {
        if (client < 0 && user < 0) return values;
        String conn = event.attributes().get("conn");
        if (conn == null) return values;
        String[] known = byConnection.get(conn);
        if (known == null) {
            known = new String[2];
            byConnection.put(conn, known);
        }
        values = take(values, client, known, 0);
        return take(values, user, known, 1);
    }

    private String[] take(String[] values, int at, String[] known, int slot) {
        if (at < 0) return values;
        String value = values.length == 0 ? null : values[at];
        if (value != null) {
            known[slot] = value;
            return values;
        }
        if (known[slot] == null) return values;
        String[] filled = values.length == 0 ? new String[width] : values;
        filled[at] = known[slot];
        return filled;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) return i;
        }
        return -1;
    }
}
