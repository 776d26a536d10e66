package io.logwarden.dashboard;

import io.logwarden.store.JobQueries;
import io.logwarden.store.JobView;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live job progress as server-sent events, for htmx's SSE extension: once a second, while anyone watches, the jobs
 * are read once and each watcher gets an HTML piece when what it shows changed — the running jobs (event
 * {@code running}) or one job's progress (event {@code progress}, then {@code done} when it is over).
 */
@Component
class JobProgressStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobProgressStream.class);
    /** A watcher reconnects (the browser does it by itself) after this long: no stream is held for ever. */
    static final long TIMEOUT_MILLIS = 5 * 60_000L;
    static final int RUNNING_SHOWN = 20;
    /** A comment line this often finds watchers whose browser went away (and keeps proxies from closing the stream). */
    static final int HEARTBEAT_TICKS = 15;

    private final JobQueries jobs;
    private final Fragments fragments;
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private int ticks;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-job-progress");
        t.setDaemon(true);
        return t;
    });

    JobProgressStream(JobQueries jobs, Fragments fragments) {
        this.jobs = jobs;
        this.fragments = fragments;
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** One open stream: all running jobs ({@code jobId} null) or one job. */
    private static final class Watcher {
        final SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        final Long jobId;
        String last;

        Watcher(Long jobId) {
            this.jobId = jobId;
        }
    }

    SseEmitter running() {
        return watch(null);
    }

    SseEmitter job(long id) {
        return watch(id);
    }

    private SseEmitter watch(Long jobId) {
        Watcher w = new Watcher(jobId);
        if (!running) {
            w.emitter.complete(); // shutting down
            return w.emitter;
        }
        watchers.add(w);
        w.emitter.onCompletion(() -> watchers.remove(w));
        w.emitter.onTimeout(() -> watchers.remove(w));
        w.emitter.onError(e -> watchers.remove(w));
        timer.execute(this::tick); // the first piece at once
        return w.emitter;
    }

    /** The running jobs, oldest first: what the overview's and the jobs page's live section show. */
    List<JobView> runningJobs() {
        return jobs.running().stream().limit(RUNNING_SHOWN).toList();
    }

    private void tick() {
        if (watchers.isEmpty()) {
            return;
        }
        if (++ticks % HEARTBEAT_TICKS == 0) {
            for (Watcher w : watchers) {
                try {
                    w.emitter.send(SseEmitter.event().comment("alive"));
                } catch (IOException | IllegalStateException e) {
                    watchers.remove(w);
                }
            }
        }
        try {
            String running = null;
            for (Watcher w : watchers) {
                if (w.jobId == null) {
                    if (running == null) {
                        running = fragments.render("running", Map.of("running", runningJobs()));
                    }
                    send(w, "running", running, false);
                } else {
                    JobView job = jobs.find(w.jobId).orElse(null);
                    if (job == null) {
                        w.emitter.complete();
                        continue;
                    }
                    boolean over = !job.running();
                    send(w, "progress", fragments.render("job-progress", Map.of("job", job)), over);
                }
            }
        } catch (RuntimeException e) {
            log.debug("job progress not sent: {}", e.getMessage());
        }
    }

    private void send(Watcher w, String event, String html, boolean last) {
        if (Objects.equals(html, w.last) && !last) {
            return;
        }
        try {
            // one data line: the piece is HTML, its line breaks carry no meaning
            w.emitter.send(SseEmitter.event().name(event).data(html.replace("\r", "").replace('\n', ' ')));
            w.last = html;
            if (last) {
                w.emitter.send(SseEmitter.event().name("done").data("done"));
                w.emitter.complete();
                watchers.remove(w);
            }
        } catch (IOException | IllegalStateException e) {
            watchers.remove(w); // the browser went away
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends the open streams before the web server's graceful shutdown (a later phase) waits for requests to finish:
     * a stream would otherwise hold the shutdown for its whole timeout.
     */
    @Override
    public void stop() {
        running = false;
        watchers.forEach(w -> w.emitter.complete());
        watchers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @PreDestroy
    void shutdownTimer() {
        timer.shutdownNow();
    }
}
