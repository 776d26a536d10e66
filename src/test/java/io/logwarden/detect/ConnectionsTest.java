package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionsTest {

    private static final String[] NAMES = {"client", "user", "status"};

    private static LogEvent event(Map<String, String> attributes) {
        return new LogEvent("ldap", Instant.parse("2026-12-03T07:00:00Z"), Level.INFO, "slapd", null, "m", attributes, "m", null);
    }

    @Test
    void aConnectionsClientAndUserReachItsLaterLines() {
        Connections connections = new Connections(NAMES);
        connections.carry(event(Map.of("conn", "7")), new String[] {"10.0.0.9", null, null});          // ACCEPT
        connections.carry(event(Map.of("conn", "7")), new String[] {null, "uid=vpn", null});           // BIND
        String[] result = connections.carry(event(Map.of("conn", "7", "status", "49")), new String[] {null, null, "49"});
        assertThat(result).containsExactly("10.0.0.9", "uid=vpn", "49");
        // an event with no values at all gets an array of its own
        assertThat(connections.carry(event(Map.of("conn", "7")), Influencers.NO_VALUES)).containsExactly("10.0.0.9", "uid=vpn", null);
        // another connection, and a line of no connection, get nothing
        assertThat(connections.carry(event(Map.of("conn", "8")), new String[] {null, null, "0"})).containsExactly(null, null, "0");
        assertThat(connections.carry(event(Map.of()), Influencers.NO_VALUES)).isEmpty();
        // a line's own value wins, and is what the connection's later lines get
        assertThat(connections.carry(event(Map.of("conn", "7")), new String[] {null, "uid=admin", null})).containsExactly("10.0.0.9", "uid=admin", null);
        assertThat(connections.carry(event(Map.of("conn", "7")), new String[3])).containsExactly("10.0.0.9", "uid=admin", null);
    }

    @Test
    void withoutClientAndUserFieldsNothingIsCarried() {
        Connections connections = new Connections(new String[] {"status"});
        String[] values = {"49"};
        assertThat(connections.carry(event(Map.of("conn", "7")), values)).isSameAs(values);
    }

    @Test
    void onlyTheLatestConnectionsAreKept() {
        Connections connections = new Connections(NAMES);
        connections.carry(event(Map.of("conn", "first")), new String[] {"10.0.0.1", null, null});
        for (int i = 0; i < Connections.MAX_CONNECTIONS; i++) {
            connections.carry(event(Map.of("conn", "c" + i)), new String[] {"10.0.0.2", null, null});
        }
        assertThat(connections.carry(event(Map.of("conn", "first")), new String[3])).containsExactly(null, null, null);
    }
}
