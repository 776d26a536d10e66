package io.logwarden.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Secrets in URLs are masked in texts that are stored, logged and shown; the rest of the text is left as it was. */
class LogTextTest {

    @Test
    void masksKeysTokensAndPasswordsInUrls() {
        assertThat(LogText.maskSecrets("GET https://api.example/v1/events?page=2&api_key=s3cr3t&size=50 answered HTTP 503"))
                .isEqualTo("GET https://api.example/v1/events?page=2&api_key=***&size=50 answered HTTP 503");
        assertThat(LogText.maskSecrets("http://127.0.0.1:8080/x?access_token=abc.def-ghi#frag"))
                .isEqualTo("http://127.0.0.1:8080/x?access_token=***#frag");
        assertThat(LogText.maskSecrets("https://b.s3/o?X-Amz-Credential=AK%2F1&X-Amz-Signature=9f3a&X-Amz-Date=20261130"))
                .isEqualTo("https://b.s3/o?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Date=20261130");
        assertThat(LogText.maskSecrets("no answer from https://svc:hunter2@10.0.0.1/api?client_secret=xyz"))
                .isEqualTo("no answer from https://svc:***@10.0.0.1/api?client_secret=***");
        assertThat(LogText.maskSecrets("page 3 (http://h/p?PASSWORD=pw'x) is not JSON"))
                .isEqualTo("page 3 (http://h/p?PASSWORD=***'x) is not JSON");
    }

    @Test
    void leavesOtherTextAlone() {
        String plain = "GET http://127.0.0.1:9/events?page=2&size=10&since=2026-11-30T00:00:00Z failed after 3 attempts";
        assertThat(LogText.maskSecrets(plain)).isEqualTo(plain);
        assertThat(LogText.maskSecrets("user@example.com wrote key = value")).isEqualTo("user@example.com wrote key = value");
        assertThat(LogText.maskSecrets(null)).isNull();
    }
}
