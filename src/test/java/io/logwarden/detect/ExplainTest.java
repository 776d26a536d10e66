package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExplainTest {

    private static final String KERBEROS = "TGS_REQ (<*> etypes {<*>), <*>), <*>), <*>), <*>), <*>), <*>), <*>)}) <*>:"
            + " LOOKING_UP_SERVER: authtime <*>, etypes {rep=<*>)} <*> for <*>, Server not found in Kerberos database";

    @Test
    void aPatternTooLongForItsPlaceLosesTheMiddleOfItsValueListsBeforeTheWordsThatTellItApart() {
        assertThat(Explain.shorten(KERBEROS, 70))
                .isEqualTo("TGS_REQ (<*> etypes {<*>), … <*>)}) <*>: LOOKING_UP_SERVER: authtime …");
        assertThat(Explain.shorten("peers <*>, <*>, <*>, <*> unreachable since <*>; giving up after <*> tries", 40))
                .isEqualTo("peers <*>, … <*> unreachable since <*>;…");
    }

    @Test
    void aPatternThatFitsAndPlainTextAreKeptAsTheyAre() {
        assertThat(Explain.shorten(KERBEROS, 500)).isEqualTo(KERBEROS);
        assertThat(Explain.shorten("a, b, c, d, e, f, g, h, i and j\nsecond line", 20)).isEqualTo("a, b, c, d, e, f, g…");
        // two values in a row are no list, nor are values with nothing but spaces between them
        assertThat(Explain.shorten("<*> == <*> <*> <*> defer (<*>): retry time not reached", 20)).isEqualTo("<*> == <*> <*> <*> …");
        assertThat(Explain.shorten("from <*>, <*> to the end of a long line", 20)).isEqualTo("from <*>, <*> to th…");
    }
}
