package io.logwarden.event;

/** Camel headers the pipeline routes and beans agree on; YAML routes use the same names. */
public final class ExchangeHeaders {

    /** The job the exchange belongs to. */
    public static final String JOB_ID = "logwardenJobId";
    /** The source name: detection state and templates are kept per source. */
    public static final String SOURCE = "logwardenSource";
    /** The input's name as the user knows it (a file name); reports are named after it. */
    public static final String INPUT = "logwardenInput";

    /** Bytes of the input read so far, when the source knows; drives the job's progress. */
    public static final String BYTES_READ = "logwardenBytesRead";

    private ExchangeHeaders() {
    }
}
