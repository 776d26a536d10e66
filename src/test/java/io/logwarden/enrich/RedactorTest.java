package io.logwarden.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.config.LlmProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor(new LlmProperties.Redaction(false, Map.of()));

    // Fake keys in the shapes of real ones, assembled here so that secret scanners do not mistake the test for a leak.
    private static final String OPENAI_LIKE = "sk-" + "proj-" + "ABCDEFGHIJKLMNOPQRSTUV";
    private static final String AWS_LIKE = "AKIA" + "ABCDEFGHIJKLMNOP";

    @Test
    void secretsAndEmailsAreReplacedByTheirKind() {
        String line = "connect postgres://billing:s3cr3t-Pa55@db.internal:5432/pay failed for jane.doe@example.com "
                + "password=hunter2 api_key: \"abc123XYZ\" Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXZhbHVl "
                + "key " + OPENAI_LIKE + " aws " + AWS_LIKE + " token=tok_live_42";
        String out = redactor.redact(line);
        assertThat(out).doesNotContain("s3cr3t-Pa55", "jane.doe@example.com", "hunter2", "abc123XYZ", "eyJhbGciOiJIUzI1NiJ9",
                OPENAI_LIKE, AWS_LIKE, "tok_live_42");
        assertThat(out).contains("postgres://billing:[REDACTED:url-password]@db.internal", "[REDACTED:email]",
                "password=[REDACTED:secret]", "[REDACTED:api-key]");
        // what the anomaly is about stays readable
        assertThat(out).startsWith("connect postgres://billing:").contains("failed for");
    }

    @Test
    void ipsOnlyWhenAskedAndUserPatternsByName() {
        String line = "login from 10.1.2.3 and 2001:db8:85a3::8a2e:370:7334 for CUST-123456";
        assertThat(redactor.redact(line)).contains("10.1.2.3", "CUST-123456");
        Redactor strict = new Redactor(new LlmProperties.Redaction(true, Map.of("customer", "CUST-\\d{6}")));
        assertThat(strict.redact(line)).doesNotContain("10.1.2.3", "CUST-123456", "8a2e:370:7334")
                .contains("[REDACTED:ip]", "[REDACTED:customer]");
    }

    @Test
    void ordinaryLogTextIsLeftAlone() {
        String line = "2026-05-04 08:20:00,000 ERROR [main] com.acme.Checkout - order 1234 failed after 3 retries (timeout 30s)";
        assertThat(redactor.redact(line)).isEqualTo(line);
    }
}
