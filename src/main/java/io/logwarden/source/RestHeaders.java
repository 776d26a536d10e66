package io.logwarden.source;

import org.apache.camel.http.common.HttpHeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * The header filter of the REST source requests ({@code restHeaders}): besides Camel's own headers, the job's
 * ({@code logwardenJobId}, ...) stay inside Logwarden and are never sent to an API.
 */
@Component("restHeaders")
public class RestHeaders extends HttpHeaderFilterStrategy {

    public RestHeaders() {
        setOutFilterPattern("(?i)logwarden.*");
    }
}
