package io.logwarden.detect;

import io.logwarden.event.LogEvent;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A batch of events with the per-event work that needs no job state already done: each event's validation verdict,
 * its message tokenised and masked for the miner, and its influencer values. {@link EventPreparer} makes one on the
 * reading thread, so that the thread holding the job's state (the miner's tree, the counts) does only the rest and
 * the two cores share the work. To everything else it is the plain list of its events.
 *
 * <p>{@link #valid()} is the view of the events that passed validation. Once detection has seen the batch it gives
 * the token array back for reuse ({@link #release()}); a released batch is still a list of events, and a second look
 * at it prepares them again.
 */
public final class PreparedBatch extends AbstractList<LogEvent> implements RandomAccess {

    private final EventPreparer owner;
    private final LogEvent[] events;
    private final String[] rejections;
    private final Tokens tokens;
    private final String[][] values;
    /** The events' {@link Measures} values, {@code width} per event in event order; null when none are read. */
    private final double[] measures;
    private final int width;
    /** Positions of this view's events in the arrays; null for the whole batch. */
    private final int[] view;
    private final int size;
    private final PreparedBatch root;
    private boolean released;

    /** The prepared messages: per event its text, masked paths, hash, token count and where its spans start. */
    record Tokens(String[] texts, String[] paths, long[] hashes, int[] sizes, int[] spanAt, int[] spans) {
    }

    PreparedBatch(EventPreparer owner, LogEvent[] events, String[] rejections, Tokens tokens, String[][] values,
                  double[] measures, int width) {
        this.owner = owner;
        this.events = events;
        this.rejections = rejections;
        this.tokens = tokens;
        this.values = values;
        this.measures = measures;
        this.width = width;
        this.view = null;
        this.size = events.length;
        this.root = this;
    }

    private PreparedBatch(PreparedBatch root, int[] view, int size) {
        this.owner = root.owner;
        this.events = root.events;
        this.rejections = root.rejections;
        this.tokens = root.tokens;
        this.values = root.values;
        this.measures = root.measures;
        this.width = root.width;
        this.view = view;
        this.size = size;
        this.root = root;
    }

    @Override
    public LogEvent get(int index) {
        return events[at(index)];
    }

    @Override
    public int size() {
        return size;
    }

    private int at(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return view == null ? index : view[index];
    }

    /** Why event {@code index} is invalid, or null when it is valid. */
    public String rejection(int index) {
        return rejections[at(index)];
    }

    /** The events that passed validation (this batch itself when all did). */
    public PreparedBatch valid() {
        int[] kept = new int[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            int a = view == null ? i : view[i];
            if (rejections[a] == null) kept[n++] = a;
        }
        return n == size ? this : new PreparedBatch(root, kept, n);
    }

    /** Whether the prepared parts can still be used (the batch was not released). */
    boolean usable() {
        return !root.released;
    }

    /** Loads event {@code index}'s prepared message into {@code into} (a masker of the thread that mines it). */
    PreparedMessage message(int index, PreparedMessage into) {
        int a = at(index);
        if (tokens.sizes()[a] < 0) {
            return into.prepare(events[a].message()); // not prepared ahead (the batch's token budget was spent)
        }
        into.masker.load(tokens.texts()[a], tokens.sizes()[a], tokens.hashes()[a], tokens.spans(), tokens.spanAt()[a],
                tokens.paths()[a]);
        return into;
    }

    /** Copies the event's {@link Measures} values to the start of {@code into}; false when the batch read none. */
    boolean measures(int index, double[] into) {
        if (measures == null || into.length < width) return false;
        System.arraycopy(measures, at(index) * width, into, 0, width);
        return true;
    }

    String[] values(int index) {
        return values[at(index)];
    }

    /** Gives the prepared messages back to the preparer for its next batches. Events stay readable. */
    public void release() {
        if (root.released) return;
        root.released = true;
        owner.recycle(tokens.spans());
    }
}
