package io.logwarden.event;

/**
 * Every Camel header the routes and beans agree on, in one place. YAML routes use the same names (the strings,
 * e.g. {@code ${header.logwardenJobId}}); Java uses these constants.
 */
public final class ExchangeHeaders {

    /** The job the exchange belongs to; set by the step that opens the job ({@code jobs.start}, a file's open). */
    public static final String JOB_ID = "logwardenJobId";
    /** The source name: detection state and templates are kept per source. */
    public static final String SOURCE = "logwardenSource";
    /** The input's name as the user knows it (a file name); reports are named after it. */
    public static final String INPUT = "logwardenInput";

    /** Bytes of the input read so far, when the source knows; drives the job's progress. */
    public static final String BYTES_READ = "logwardenBytesRead";

    /**
     * How {@code direct:analyze} reads a batch of plain maps (a CSV export, a JSON array): event field = record
     * field, comma-separated, e.g. {@code timestamp=time, message=text, level=severity}.
     */
    public static final String MAPPING = "logwardenMapping";

    /** Who started a run: its schedule (the default) or a person ({@code manual}). */
    public static final String TRIGGER = "logwardenTrigger";
    /** The configured source a run-now request names. */
    public static final String SOURCE_NAME = "logwardenSourceName";

    /** Set on a failed exchange: the reason, for the source route to keep beside the input (a .reason file). */
    public static final String FAILURE_REASON = "logwardenFailure";
    /** Warnings collected while reading the input, kept on the job. */
    public static final String WARNINGS = "logwardenWarnings";

    private ExchangeHeaders() {
    }
}
