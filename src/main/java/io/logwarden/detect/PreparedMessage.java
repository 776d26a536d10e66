package io.logwarden.detect;

import java.util.List;
import java.util.Objects;

/**
 * A message split into tokens and masked, ready for {@link TemplateMiner#add(PreparedMessage)}. Preparing is most
 * of the work of mining a line and needs none of the miner's state, so a caller can prepare messages on one thread
 * while the miner runs on another: the command line reads and prepares lines a batch ahead of mining them. Get
 * one from {@link TemplateMiner#newPreparedMessage()}, so that it applies that miner's masks, and reuse it: it
 * holds only buffers. Not thread-safe; hand it over between threads through a safe publication (a queue).
 */
public final class PreparedMessage {

    final Masker masker;

    PreparedMessage(List<Masker.UserMask> masks) {
        this.masker = new Masker(masks);
    }

    /**
     * {@link #prepare(String)} for one line of ASCII bytes, {@code bytes[from, to)}, with no line break in it: the
     * bytes are read in place (as Latin-1, which ASCII is a part of), no String is made.
     */
    public PreparedMessage prepareAscii(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        masker.prepareAscii(bytes, from, to);
        return this;
    }

    /** Tokenises and masks a message, replacing what this held before. */
    public PreparedMessage prepare(String message) {
        masker.prepare(Objects.requireNonNull(message, "message"));
        return this;
    }
}
