package io.logwarden.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void isoAndShortFormsMeanTheSame() {
        assertThat(Durations.parse("P7D")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("P2W")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parse("pt12h")).isEqualTo(Duration.ofHours(12));
        assertThat(Durations.parse(" 12H ")).isEqualTo(Duration.ofHours(12));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void blankOrForeverIsForGood() {
        assertThat(Durations.parse(null)).isNull();
        assertThat(Durations.parse(" ")).isNull();
        assertThat(Durations.parse("forever")).isNull();
    }

    @Test
    void anythingElseIsRefusedNamingTheForms() {
        for (String bad : new String[] {"P1M", "7", "d", "7x", "-3d", "0d", "PT0S", "P", "soon", "99999999999999999999d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("P7D, PT12H, 7d").hasMessageContaining(bad.strip());
        }
    }
}
