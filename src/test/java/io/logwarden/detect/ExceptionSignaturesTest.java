package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The names found on the runs that can hold one are exactly those the expression finds over the whole text. */
class ExceptionSignaturesTest {

    @Test
    void namesInAStackTraceOutermostFirst() {
        String trace = """
                Request failed: org.springframework.web.client.ResourceAccessException: I/O error on POST
                \tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:791)
                \tat com.shop.ExceptionTranslator.translate(ExceptionTranslator.java:12)
                Caused by: java.net.SocketTimeoutException: Read timed out
                \tat java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)
                Caused by: com.shop.Outer$InnerError
                Caused by: java.lang.IllegalStateException""";
        assertThat(ExceptionSignatures.of(trace)).containsExactly(
                "org.springframework.web.client.ResourceAccessException", "java.net.SocketTimeoutException",
                "com.shop.Outer$InnerError", "java.lang.IllegalStateException");
        assertThat(ExceptionSignatures.of("GET /api/items/7 HTTP/1.1 500")).isEmpty();
        assertThat(ExceptionSignatures.of("an Error: and an Exception here")).isEmpty(); // bare words are not names
    }

    @Test
    void theSameNamesAsTheExpressionOverTheWholeText() {
        String[] pieces = {"Exception", "Error", "Fault", "Exceptions", "java.lang.", "com.", "Foo", "foo", "Bar", "$",
                "$1", "_x", "9", "2nd", ".", "..", ":", ": ", " ", "\t", "\n", "\r\n", "(", ")", "/", "-", "=", "Caused by: ",
                "at ", "IOException", "sun.nio.X", "é", "Ärger", "Error:", "Fault ", "SOAPFault", "x.Y"};
        Random random = new Random(11);
        int found = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(14); i < n; i++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String t = text.toString();
            List<String> expected = overTheWholeText(t);
            assertThat(ExceptionSignatures.of(t)).as("%s", t).isEqualTo(expected);
            found += expected.size();
        }
        assertThat(found).as("names found over all texts").isGreaterThan(3_000);
    }

    /** What this class did before it looked at runs only: the expression over the whole text. */
    private static List<String> overTheWholeText(String text) {
        List<String> names = new ArrayList<>(2);
        Matcher m = ExceptionSignatures.NAME.matcher(text);
        while (m.find() && names.size() < 5) {
            String name = m.group(1);
            if (!names.contains(name) && !name.equals("Error") && !name.equals("Exception")) {
                names.add(name);
            }
        }
        return names;
    }
}
