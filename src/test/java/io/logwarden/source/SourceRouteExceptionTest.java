package io.logwarden.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceRouteExceptionTest {

    @Test
    void theReasonIsTheDeepestMessageOnOneLineWithSecretsMasked() {
        Throwable failure = new IllegalStateException("Failed to create route source-rest-orders",
                new IllegalArgumentException("Failed to resolve endpoint:\n  http://127.0.0.1:9/orders?api_key=s3cr3t&page=1"
                        + " due to: There are 1 parameters that couldn't be set"));

        String reason = SourceRouteException.reason(failure);

        assertThat(reason).startsWith("Failed to resolve endpoint: http://127.0.0.1:9/orders?api_key=***&page=1")
                .doesNotContain("s3cr3t").doesNotContain("\n");
    }
}
