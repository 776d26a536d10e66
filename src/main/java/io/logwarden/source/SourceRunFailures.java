package io.logwarden.source;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The exception handler of the scheduled source consumers. A failed run has already been logged in one line with
 * its reason (by the jobs bean) and recorded on its job; the consumer's default handler would log it again with a
 * full stack trace at every run. Here the stack trace is kept for debug level only.
 */
@Component("sourceRunFailures")
public class SourceRunFailures implements ExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(SourceRunFailures.class);

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (log.isDebugEnabled()) {
            log.debug("Source run failed{}", message == null ? "" : ": " + message, exception);
        }
    }
}
