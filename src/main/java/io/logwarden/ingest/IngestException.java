package io.logwarden.ingest;

/**
 * A file that cannot be ingested, with a reason meant for people: "empty file", "binary file: NUL byte at
 * offset 12", "truncated gzip: ...". Unchecked, because it is raised from inside the batch iterator that a
 * Camel splitter drives; the route moves the file to the failed folder with this message as the reason.
 */
public class IngestException extends RuntimeException {

    public IngestException(String reason) {
        super(reason);
    }

    public IngestException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
