package io.logwarden.detect;

import io.logwarden.event.LogEvent;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Function;

/**
 * Does the per-event work of detection that needs no job state, a batch at a time, on whatever thread calls it: the
 * validation verdict (the caller's check), the message tokenised and masked with the miner's settings, and the
 * influencer values. The file source runs it on its reading thread, so reading, parsing and this share one core while
 * the job's state is kept on the other ({@link JobDetection#observe(PreparedBatch)}).
 *
 * <p>A message's tokens are kept compactly (offsets into its text, {@link Masker#SPAN} ints a token, in one array per
 * batch) rather than in a masker of its own: the thread that mines them reloads them into its one masker, whose
 * buffers stay in the processor's cache. Thread-safe: each call prepares with a masker of its thread, and the token
 * arrays of released batches are reused through a small pool.
 */
public final class EventPreparer {

    /** Token arrays kept for reuse: the reader runs at most a few batches ahead. */
    private static final int POOL = 8;
    /**
     * Ints of token spans a batch may hold (16 MB). A batch of long lines made of many short tokens would otherwise
     * hold 24 bytes a token; past this, its messages are tokenised by the thread that mines them, one at a time, as
     * before. Larger arrays are not kept for reuse.
     */
    static final int MAX_SPAN_INTS = 4 << 20;
    private static final int POOLED_SPAN_INTS = 1 << 20;

    private final int maxSpanInts;
    private final TemplateMiner masks;
    private final Influencers influencers;
    private final Measures measures;
    private final ThreadLocal<Masker> maskers;
    private final ArrayBlockingQueue<int[]> spanPool = new ArrayBlockingQueue<>(POOL);

    public EventPreparer(DetectionSettings settings) {
        this(settings, MAX_SPAN_INTS);
    }

    EventPreparer(DetectionSettings settings, int maxSpanInts) {
        this.maxSpanInts = maxSpanInts;
        this.masks = JobDetection.minerConfig(settings).cacheSize(0).build();
        this.influencers = new Influencers(settings.influencerFields());
        this.measures = new Measures(settings.valueFields());
        this.maskers = ThreadLocal.withInitial(() -> masks.newPreparedMessage().masker);
    }

    /**
     * Prepares a batch. {@code check} gives an event's reason to be refused (null when it is valid); only valid events
     * are prepared further.
     */
    @SuppressWarnings("unchecked")
    public PreparedBatch prepare(List<LogEvent> batch, Function<LogEvent, String> check) {
        int n = batch.size();
        LogEvent[] events = batch.toArray(new LogEvent[n]);
        String[] rejections = new String[n];
        String[] texts = new String[n];
        String[] paths = new String[n];
        long[] hashes = new long[n];
        int[] sizes = new int[n];
        int[] spanAt = new int[n];
        String[][] values = new String[n][];
        int width = measures.size();
        double[] measured = width == 0 ? null : new double[n * width];
        int[] spans = spanPool.poll();
        if (spans == null) spans = new int[Math.min(n * 16 * Masker.SPAN, POOLED_SPAN_INTS)];
        int used = 0;
        Masker masker = maskers.get();
        for (int i = 0; i < n; i++) {
            LogEvent event = events[i];
            String reason = check.apply(event);
            if (reason != null) {
                rejections[i] = reason;
                continue;
            }
            values[i] = influencers.valuesOf(event, event.level().isError());
            if (measured != null) measures.read(event, measured, i * width);
            masker.prepare(event.message());
            int needed = used + masker.size * Masker.SPAN;
            if (needed > maxSpanInts) {
                sizes[i] = -1; // over the batch's budget: mined from its message, as before
                continue;
            }
            if (spans.length < needed) {
                spans = Arrays.copyOf(spans, Math.min(maxSpanInts, Math.max(spans.length * 2, needed)));
            }
            spanAt[i] = used;
            used = masker.exportSpans(spans, used);
            sizes[i] = masker.size;
            hashes[i] = masker.hash;
            texts[i] = masker.text();
            paths[i] = masker.pathsText();
        }
        return new PreparedBatch(this, events, rejections, new PreparedBatch.Tokens(texts, paths, hashes, sizes, spanAt, spans),
                values, measured, width);
    }

    /**
     * Lets go of the token arrays kept for reuse, as a new preparer has none. The start-up warm-up calls this before
     * each generated file: a service's first job begins with fewer kept arrays than it has batches in flight, and
     * when the compiled preparation met an empty pool there for the first time, the compiler had to start it over
     * (0.14 s of compiling in the first nginx file, and slower code until it was done).
     */
    public void forgetBuffers() {
        spanPool.clear();
    }

    void recycle(int[] spans) {
        if (spans.length <= POOLED_SPAN_INTS) spanPool.offer(spans);
    }
}
