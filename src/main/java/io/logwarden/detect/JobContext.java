package io.logwarden.detect;

/** What the judges need from the job they judge: its templates' patterns and its window's length. */
interface JobContext {

    Template template(String id);

    long windowMillis();
}
