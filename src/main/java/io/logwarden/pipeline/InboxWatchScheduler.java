package io.logwarden.pipeline;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Consumer;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.component.file.GenericFileConsumer;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a {@code file:} folder as Camel's default scheduler does (the endpoint's {@code delay}, {@code initialDelay}
 * and {@code useFixedDelay}) and, in between, as soon as the operating system reports an entry created or changed in
 * it (inotify on Linux, through {@link WatchService}): a file renamed into the inbox is picked up within milliseconds
 * instead of at the next poll. Polls never overlap: a notified poll runs on the same single scheduler thread as the
 * timed ones, and notifications that arrive while one is waiting to run fold into it. Where the file system gives no
 * notifications (some network mounts) or the folder cannot be watched, the timed polls still pick every file up.
 *
 * <p>Used by a route as {@code scheduler: "#inboxWatch"}; the bean is a prototype, so that every {@code file:}
 * endpoint gets its own watch.
 */
public class InboxWatchScheduler extends DefaultScheduledPollConsumerScheduler {

    private static final Logger log = LoggerFactory.getLogger(InboxWatchScheduler.class);

    private final AtomicBoolean pollPending = new AtomicBoolean();
    private volatile Runnable task;
    private Path folder;
    private WatchService watch;
    private Thread watcher;

    @Override
    public void onInit(Consumer consumer) {
        super.onInit(consumer);
        // A custom scheduler is not given the endpoint's timing: take it from the consumer.
        if (consumer instanceof ScheduledPollConsumer polling) {
            setDelay(polling.getDelay());
            setInitialDelay(polling.getInitialDelay());
            setTimeUnit(polling.getTimeUnit());
            setUseFixedDelay(polling.isUseFixedDelay());
        }
        if (consumer instanceof GenericFileConsumer<?> files && files.getEndpoint() instanceof FileEndpoint endpoint) {
            folder = endpoint.getFile().toPath().toAbsolutePath();
        }
    }

    @Override
    public void scheduleTask(Runnable task) {
        super.scheduleTask(task);
        this.task = task;
    }

    @Override
    public void startScheduler() {
        super.startScheduler();
        if (folder == null || watcher != null) {
            return;
        }
        try {
            watch = folder.getFileSystem().newWatchService();
            folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("{} cannot be watched ({}); files are picked up at each poll only", folder, e.toString());
            closeWatch();
            return;
        }
        watcher = new Thread(this::watchLoop, "inbox-watch-" + folder.getFileName());
        watcher.setDaemon(true);
        watcher.start();
        log.debug("Watching {} for new files", folder);
    }

    private void watchLoop() {
        WatchService service = watch;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = service.take();
                key.pollEvents();
                pollSoon();
                if (!key.reset()) {
                    log.warn("{} can no longer be watched (removed?); files are picked up at each poll only", folder);
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    /** Runs one poll on the scheduler thread as soon as it is free, unless one is already waiting to run. */
    void pollSoon() {
        Runnable poll = task;
        ScheduledExecutorService executor = getScheduledExecutorService();
        if (poll == null || executor == null || !isSchedulerStarted() || !pollPending.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                pollPending.set(false);
                poll.run();
            });
        } catch (RejectedExecutionException e) {
            pollPending.set(false); // stopping
        }
    }

    @Override
    public void unscheduleTask() {
        stopWatching();
        super.unscheduleTask();
    }

    @Override
    protected void doStop() throws Exception {
        stopWatching();
        super.doStop();
    }

    private void stopWatching() {
        Thread running = watcher;
        watcher = null;
        if (running != null) {
            running.interrupt();
        }
        closeWatch();
    }

    private void closeWatch() {
        WatchService service = watch;
        watch = null;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                log.debug("Closing the watch of {}: {}", folder, e.toString());
            }
        }
    }
}
