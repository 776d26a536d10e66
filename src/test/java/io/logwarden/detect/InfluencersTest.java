package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InfluencersTest {

    @Test
    void aMessagesAddressIsItsFirstUnlessALaterOneIsTheClientsOrWhereItCameFrom() {
        assertThat(Influencers.address("New connection from 127.0.0.5:40112 on port 1883.")).isEqualTo("127.0.0.5");
        assertThat(Influencers.address("rip=10.1.2.3, lip=10.0.0.1")).isEqualTo("10.1.2.3");
        // FreeRADIUS names its own address first, then the unknown client's
        assertThat(Influencers.address("Ignoring request to auth address 127.0.0.1 port 1812 bound to server default"
                + " from unknown client 127.0.0.57 port 41235 proto udp")).isEqualTo("127.0.0.57");
        assertThat(Influencers.address("listening on 10.0.0.1, connect from [192.168.4.20]")).isEqualTo("192.168.4.20");
        assertThat(Influencers.address("upstream 10.0.0.9:8080 timed out (client 10.0.0.77)")).isEqualTo("10.0.0.77");
        assertThat(Influencers.address("from10.0.0.1 version 1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(Influencers.address("no address here, version 1.2.3")).isNull();
    }
}
