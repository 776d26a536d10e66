package io.logwarden.ingest;

import io.logwarden.event.LogEvent;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads and parses a file's next batches on a thread of its own while the pipeline validates and judges the
 * current one, so reading and detection use two cores. At most {@value #AHEAD} batches wait: memory stays bounded.
 * A read failure is handed over in order and thrown by {@link #hasNext()}, exactly as the plain batches would.
 *
 * <p>Consumed by one thread (the splitter); the reading thread is its own.
 */
public final class PrefetchedBatches implements Iterator<List<LogEvent>>, Closeable {

    static final int AHEAD = 2;

    private record Item(List<LogEvent> batch, RuntimeException failure, boolean end) {
    }

    private final EventBatches source;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread reader;
    private volatile boolean closed;
    private Item head;

    public PrefetchedBatches(EventBatches source) {
        this.source = source;
        this.reader = new Thread(this::read, "logwarden-read-" + source.summary().file());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public EventBatches source() {
        return source;
    }

    private void read() {
        Item last;
        try {
            while (!closed && source.hasNext()) {
                put(new Item(source.next(), null, false));
            }
            last = new Item(null, null, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closed by the consumer
        } catch (RuntimeException e) {
            last = new Item(null, e, true);
        } catch (Error e) {
            // Even an OutOfMemoryError must reach the job as a failure, or the consumer would wait forever.
            last = new Item(null, new IllegalStateException("reading " + source.summary().file() + " failed: " + e, e), true);
        }
        try {
            put(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void put(Item item) throws InterruptedException {
        while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            // the consumer is busy; wait, unless it gave up (close)
        }
    }

    @Override
    public boolean hasNext() {
        while (head == null) {
            try {
                head = queue.poll(100, TimeUnit.MILLISECONDS);
                if (head == null && closed && queue.isEmpty()) {
                    return false; // closed by the job's failure handling: the splitter must not wait forever
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + source.summary().file(), e);
            }
        }
        if (head.failure() != null) {
            throw head.failure();
        }
        return !head.end();
    }

    @Override
    public List<LogEvent> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches");
        }
        List<LogEvent> batch = head.batch();
        head = null;
        return batch;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        reader.interrupt();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
