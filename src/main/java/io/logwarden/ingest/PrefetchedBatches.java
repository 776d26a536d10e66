package io.logwarden.ingest;

import io.logwarden.event.LogEvent;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Reads and parses a file's next batches on a thread of its own while the pipeline works on the current one, so
 * reading and detection use two cores. At most {@value #AHEAD} batches wait: memory stays bounded. A read failure is
 * handed over in order and thrown by {@link #hasNext()}, exactly as the plain batches would.
 *
 * <p>Each batch also goes through a step that either thread may run ({@code onEitherThread}: in the service,
 * validation and the per-event part of detection that needs no job state), once, by whichever thread would otherwise
 * wait: the consumer runs it on the batch it takes (or, while the reader runs it on that one, on the next batch
 * waiting), and the reader, finding the queue full, runs it on the batch it has just read, then on waiting ones,
 * instead of blocking. So the work
 * balances itself over the two cores whichever side is slower on the input at hand.
 *
 * <p>Consumed by one thread (the splitter); the reading thread is its own.
 */
public final class PrefetchedBatches implements Iterator<List<LogEvent>>, Closeable {

    static final int AHEAD = 2;

    /** A batch read, and the step run on it once, by whichever thread claims it. */
    private static final class Item {
        final List<LogEvent> read;
        final RuntimeException readFailure;
        final boolean end;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CountDownLatch done = new CountDownLatch(1);
        private List<LogEvent> result;
        private RuntimeException failure;

        Item(List<LogEvent> read, RuntimeException readFailure, boolean end) {
            this.read = read;
            this.readFailure = readFailure;
            this.end = end;
        }

        /** Runs the step if no thread has; false when another thread has it (done or under way). */
        boolean run(UnaryOperator<List<LogEvent>> step) {
            if (read == null || !claimed.compareAndSet(false, true)) return false;
            try {
                result = step.apply(read);
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new IllegalStateException("preparing a batch failed: " + e, e);
            } finally {
                done.countDown();
            }
            return true;
        }

        boolean unclaimed() {
            return read != null && !claimed.get();
        }

        boolean done() {
            return done.getCount() == 0;
        }

        List<LogEvent> await() throws InterruptedException {
            done.await();
            if (failure != null) throw failure;
            return result;
        }
    }

    private final EventBatches source;
    private final UnaryOperator<List<LogEvent>> onEitherThread;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread reader;
    private volatile boolean closed;
    private Item head;

    public PrefetchedBatches(EventBatches source) {
        this(source, UnaryOperator.identity());
    }

    /**
     * @param onEitherThread what is done to each batch before it is handed over, on the reading thread or on the
     *                       consuming one (validation and the stateless part of detection, in the service); it must
     *                       be safe to run on either
     */
    public PrefetchedBatches(EventBatches source, UnaryOperator<List<LogEvent>> onEitherThread) {
        this.source = source;
        this.onEitherThread = onEitherThread;
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

    /**
     * Queues a batch; while the queue is full, prepares batches rather than block: first this one, just read (its
     * events are still in this core's cache), then waiting ones.
     */
    private void put(Item item) throws InterruptedException {
        while (!closed) {
            if (queue.offer(item)) return;
            if (item.unclaimed()) {
                item.run(onEitherThread);
                continue;
            }
            Item waiting = firstUnclaimed();
            if (waiting != null) {
                waiting.run(onEitherThread);
            } else if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private Item firstUnclaimed() {
        // A snapshot (AHEAD items at most) rather than an iterator: the queue keeps a list of its live
        // iterators and tends it on every take, and that bookkeeping made the compiler redo put() in a service's
        // first file, whose queue is busier than the warm-up's.
        for (Object waiting : queue.toArray()) {
            Item i = (Item) waiting;
            if (i.unclaimed()) return i;
        }
        return null;
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
        if (head.readFailure != null) {
            throw head.readFailure;
        }
        return !head.end;
    }

    @Override
    public List<LogEvent> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches");
        }
        Item item = head;
        head = null;
        item.run(onEitherThread); // unless the reader has
        try {
            while (!item.done()) {
                // the reader is preparing this one: prepare the next waiting batch meanwhile, rather than wait
                Item waiting = firstUnclaimed();
                if (waiting == null || !waiting.run(onEitherThread)) break;
            }
            return item.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + source.summary().file(), e);
        }
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
