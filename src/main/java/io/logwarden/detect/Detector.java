package io.logwarden.detect;

/** The detectors; their names appear in reports, the JSON schema and the database. */
public enum Detector {
    /** A template the source never saw (with history), or one rare in an input that is its own baseline. */
    NEW_TEMPLATE("new-template"),
    /** A template's count in a window far above its rolling baseline. */
    FREQUENCY_SPIKE("frequency-spike"),
    /** Error and fatal events in a window far above their rolling baseline. */
    ERROR_BURST("error-burst"),
    /** Warnings in a window far above their rolling baseline: frequency per level, for the level below errors. */
    WARNING_BURST("warning-burst"),
    /** Authentication failures (failed passwords, invalid users, HTTP 401/403) far above their baseline. */
    AUTH_FAILURE_BURST("auth-failure-burst"),
    /**
     * One client, user or address far busier in a window than the busiest one usually is (a scraper, a runaway
     * client, a retry storm), even when every answer was a success.
     */
    ACTOR_SPIKE("actor-spike"),
    /**
     * An HTTP status that no failure count covers (a redirect, a 1xx, a 2xx other than 200) far above its usual count:
     * a redirect loop, a cache answering 304 to everything, a proxy's 204s.
     */
    STATUS_SPIKE("status-spike"),
    /**
     * A template whose mean value of a numeric field (a response's size, a request's time) in a window is far above
     * its usual mean: a paging bug answering the whole catalogue, an upstream grown slow, while counts stay as usual.
     */
    VALUE_SHIFT("value-shift"),
    /** The share of HTTP requests answered 5xx far above usual, although the count alone is not unusual. */
    HTTP_5XX_RATIO("http-5xx-ratio"),
    /** A template, a level or the whole source that was steady and stopped or fell far below its rate. */
    DROP("drop"),
    /** A window whose whole count vector is unusual for an Isolation Forest trained on the source's windows. */
    WINDOW_FOREST("isolation-forest"),
    /** A session (request, block, transaction) unusual in its templates, their counts or their relations. */
    SESSION("session"),
    /** A new template that an LLM judged suspicious (not routine); only when a provider is configured. */
    SEMANTIC("llm-semantic");

    private final String id;

    Detector(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
