package io.logwarden.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlCharactersTest {

    @Test
    void controlCharactersBecomeVisibleLayoutStays() {
        assertThat(ControlCharacters.visible("disk\u0000 \u001b[31mred\u001b[0m\tok\r\n\u007f\u0085 \u202eexe"))
                .isEqualTo("disk\u2400 \\x1b[31mred\\x1b[0m\tok\r\n\\x7f\\x85 \\u202eexe");
        String plain = "nothing to do: é, 中文, <b>";
        assertThat(ControlCharacters.visible(plain)).isSameAs(plain);
    }

    @Test
    void everyStringOfTheDocumentIsCovered() {
        Object doc = ControlCharacters.visibleDeep(Map.of("anomalies", List.of(Map.of("evidence", List.of("a\u0000b"), "score", 91))));
        assertThat(doc).isEqualTo(Map.of("anomalies", List.of(Map.of("evidence", List.of("a\u2400b"), "score", 91))));
    }
}
