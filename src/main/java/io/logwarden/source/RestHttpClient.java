package io.logwarden.source;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.stereotype.Component;

/**
 * The HTTP client of the REST sources, with Apache HttpClient's own retries off: it retried 429 and 503 answers
 * (and I/O errors) before Logwarden did, so {@code max-retries: 2} made six requests and {@code Retry-After} waited
 * past {@code max-backoff}. Retries are the source route's alone (its redelivery policy, {@link RestRetries}).
 */
@Component("restHttpClient")
public class RestHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
    }
}
