package io.logwarden.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The readers' attribute map behaves as a LinkedHashMap: same answers, same order, through growth and removals. */
class AttributesTest {

    @Test
    void numbersAreReadFromSpansAndStringsAlike() {
        String line = "GET /a HTTP/1.1\" 200 299971 0.004 0.002, 0.001 -";
        Attributes attributes = new Attributes(4);
        attributes.addSpan("bytes", line, line.indexOf("299971"), line.indexOf("299971") + 6);
        attributes.addSpan("request_time", line, line.indexOf("0.004"), line.indexOf("0.004") + 5);
        attributes.addSpan("upstream_response_time", line, line.indexOf("0.002"), line.indexOf(" -"));
        attributes.addSpan("upstream_addr", line, line.length() - 1, line.length());
        attributes.put("status", "200");
        assertThat(attributes.number("bytes")).isEqualTo(299971.0);
        assertThat(attributes.number("request_time")).isEqualTo(0.004);
        assertThat(attributes.number("upstream_response_time")).isEqualTo(0.002);   // two upstreams: the first
        assertThat(attributes.number("upstream_addr")).isNaN();
        assertThat(attributes.number("status")).isEqualTo(200.0);
        assertThat(attributes.number("absent")).isNaN();
        assertThat(attributes.get("bytes")).isEqualTo("299971");   // reading a number leaves the value as it was
    }

    @Test
    void answersAsALinkedHashMapThroughRandomPutsReplacementsAndRemovals() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            Attributes attributes = new Attributes(1 + random.nextInt(12));
            Map<String, String> expected = new LinkedHashMap<>();
            for (int op = 0; op < 40; op++) {
                String key = "k" + random.nextInt(30);
                if (random.nextInt(6) == 0) {
                    assertThat(attributes.remove(key)).isEqualTo(expected.remove(key));
                } else {
                    String value = random.nextInt(10) == 0 ? null : "v" + random.nextInt(100);
                    assertThat(attributes.put(key, value)).isEqualTo(expected.put(key, value));
                }
                String probe = "k" + random.nextInt(40);
                assertThat(attributes.get(probe)).isEqualTo(expected.get(probe));
                assertThat(attributes.containsKey(probe)).isEqualTo(expected.containsKey(probe));
                assertThat(attributes.getOrDefault(probe, "none")).isEqualTo(expected.getOrDefault(probe, "none"));
            }
            assertThat(attributes).isEqualTo(expected).hasSameHashCodeAs(expected);
            List<String> order = new ArrayList<>(attributes.keySet());
            assertThat(order).containsExactlyElementsOf(expected.keySet());
            assertThat(attributes.toString()).isEqualTo(expected.toString());
        }
    }

    @Test
    void namesAddedWithoutALookUpAnswerAsPutOnes() {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            Attributes attributes = new Attributes(1 + random.nextInt(12));
            Map<String, String> expected = new LinkedHashMap<>();
            int names = 1 + random.nextInt(30); // past the indexed size too
            for (int i = 0; i < names; i++) {
                String value = random.nextInt(10) == 0 ? null : "v" + i;
                if (random.nextBoolean()) attributes.add("k" + i, value); else attributes.put("k" + i, value);
                expected.put("k" + i, value);
            }
            attributes.put("k0", "replaced");
            expected.put("k0", "replaced");
            for (int probe = 0; probe < 40; probe++) {
                assertThat(attributes.get("k" + probe)).isEqualTo(expected.get("k" + probe));
                assertThat(attributes.containsKey("k" + probe)).isEqualTo(expected.containsKey("k" + probe));
            }
            assertThat(attributes).isEqualTo(expected);
            assertThat(new ArrayList<>(attributes.keySet())).containsExactlyElementsOf(expected.keySet());
        }
        assertThatThrownBy(() -> Attributes.NONE.add("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void valuesAddedAsSpansAnswerAsTheirTextInEveryWay() {
        Random random = new Random(13);
        String line = "203.0.113.9 - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"";
        for (int round = 0; round < 500; round++) {
            Attributes attributes = new Attributes(1 + random.nextInt(12));
            Map<String, String> expected = new LinkedHashMap<>();
            int names = 1 + random.nextInt(30); // past the indexed size too
            for (int i = 0; i < names; i++) {
                int from = random.nextInt(line.length());
                int to = from + random.nextInt(line.length() - from + 1);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        attributes.addSpan("k" + i, line, from, to);
                        expected.put("k" + i, line.substring(from, to));
                    }
                    case 1 -> {
                        attributes.add("k" + i, line.substring(from, to));
                        expected.put("k" + i, line.substring(from, to));
                    }
                    default -> { // a new name, or one already there (replaced in its place)
                        String name = "k" + random.nextInt(i + 1);
                        attributes.putSpan(name, line, from, to);
                        expected.put(name, line.substring(from, to));
                    }
                }
            }
            // read in another order than added, some not at all before the whole-map checks, one replaced, one removed
            for (int probe = 0; probe < 20; probe++) {
                String name = "k" + random.nextInt(40);
                assertThat(attributes.get(name)).isEqualTo(expected.get(name));
                assertThat(attributes.getOrDefault(name, "none")).isEqualTo(expected.getOrDefault(name, "none"));
            }
            String replaced = "k" + random.nextInt(names);
            assertThat(attributes.put(replaced, "new")).isEqualTo(expected.put(replaced, "new"));
            String removed = "k" + random.nextInt(names);
            assertThat(attributes.remove(removed)).isEqualTo(expected.remove(removed));
            assertThat(attributes.toString()).isEqualTo(expected.toString());
            assertThat(attributes).isEqualTo(expected).hasSameHashCodeAs(expected);
            assertThat(new ArrayList<>(attributes.values())).containsExactlyElementsOf(expected.values());
        }
        Attributes one = new Attributes(1);
        one.addSpan("agent", line, line.length() - 11, line.length() - 1);
        String agent = one.get("agent");
        assertThat(agent).isEqualTo("curl/8.5.0");
        assertThat(one.get("agent")).as("made once, then kept").isSameAs(agent);
        assertThatThrownBy(() -> one.addSpan("x", line, 5, line.length() + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> one.addSpan("x", line, 5, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void refusesANullName() {
        assertThatThrownBy(() -> new Attributes(2).put(null, "x")).isInstanceOf(NullPointerException.class);
        assertThat(new Attributes(2).get(null)).isNull();
    }

    @Test
    void everyEventHoldsAttributesAnotherMapIsCopiedInItsOrderAndNoneIsReadOnly() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("zeta", "1");
        given.put("alpha", null);
        given.put("mid", "3");
        LogEvent event = new LogEvent("s", null, null, null, null, "m", given, "m", null);
        assertThat(event.attributes()).isInstanceOf(Attributes.class).isEqualTo(given);
        assertThat(event.attributes().keySet()).containsExactly("zeta", "alpha", "mid");
        Attributes own = new Attributes(2);
        own.put("a", "b");
        assertThat(new LogEvent("s", null, null, null, null, "m", own, "m", null).attributes()).isSameAs(own);

        assertThat(new LogEvent("s", null, null, null, null, "m", null, "m", null).attributes()).isSameAs(Attributes.NONE);
        assertThat(Attributes.of(Map.of())).isSameAs(Attributes.NONE).isEmpty();
        assertThat(Attributes.NONE.get("a")).isNull();
        assertThat(Attributes.NONE.remove("a")).isNull();
        assertThatThrownBy(() -> Attributes.NONE.put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Attributes.NONE).isEmpty();
    }
}
