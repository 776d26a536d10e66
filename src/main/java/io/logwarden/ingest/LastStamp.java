package io.logwarden.ingest;

import java.time.Instant;

/**
 * The last timestamp text a format read and its instant: consecutive lines mostly share their stamp (a second's
 * resolution), so the next line with the same characters there skips the parse. Only for stamps whose instant depends
 * on the text alone (not on a year guessed from the clock). Kept as one immutable pair (final fields, so safely seen
 * by another thread without a volatile, which measurably slowed every line), so formats shared between threads stay
 * safe: a race only costs a parse.
 */
final class LastStamp {

    private record Stamp(String text, Instant instant) {
    }

    private Stamp last;

    /** The instant read last time when {@code line[from, to)} holds the same text; else null. */
    Instant get(String line, int from, int to) {
        Stamp seen = last;
        return seen != null && RecentText.same(seen.text, line, from, to) ? seen.instant : null;
    }

    /** Keeps {@code line[from, to)} and the instant read from it for the next line. */
    void put(String line, int from, int to, Instant instant) {
        last = new Stamp(line.substring(from, to), instant);
    }
}
