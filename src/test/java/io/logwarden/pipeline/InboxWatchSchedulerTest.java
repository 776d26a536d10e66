package io.logwarden.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's scheduler on a real Camel file consumer whose timed polls are an hour apart: a file renamed into the
 * folder, or written in it, is still read at once, from the operating system's notification; polls never overlap.
 */
class InboxWatchSchedulerTest {

    @TempDir
    Path dir;

    @Test
    void filesArePickedUpWhenTheyArriveNotAtTheNextPoll() throws Exception {
        Path inbox = dir.resolve("inbox");
        BlockingQueue<String> read = new LinkedBlockingQueue<>();
        AtomicInteger running = new AtomicInteger();
        List<Integer> overlaps = new CopyOnWriteArrayList<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            InboxWatchScheduler scheduler = new InboxWatchScheduler();
            camel.getRegistry().bind("inboxWatch", scheduler);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + inbox + "?scheduler=#inboxWatch&initialDelay=3600000&delay=3600000"
                            + "&readLock=changed&readLockMinAge=100&readLockCheckInterval=50&delete=true")
                            .process(exchange -> {
                                int now = running.incrementAndGet();
                                if (now > 1) {
                                    overlaps.add(now);
                                }
                                read.add(exchange.getIn().getHeader("CamelFileName", String.class)
                                        + "=" + exchange.getIn().getBody(String.class));
                                running.decrementAndGet();
                            });
                }
            });
            camel.start();
            Files.createDirectories(inbox);
            // The endpoint's own timing, not the scheduler's defaults.
            assertThat(scheduler.getDelay()).isEqualTo(3_600_000);
            assertThat(scheduler.getInitialDelay()).isEqualTo(3_600_000);

            // A finished file renamed in, as writers should do.
            Path staged = Files.writeString(dir.resolve("staged.log"), "one line\n");
            Files.move(staged, inbox.resolve("a.log"), StandardCopyOption.ATOMIC_MOVE);
            assertThat(read.poll(20, TimeUnit.SECONDS)).isEqualTo("a.log=one line\n");

            // Written in place, then several at once.
            Files.writeString(inbox.resolve("b.log"), "two\n");
            assertThat(read.poll(20, TimeUnit.SECONDS)).isEqualTo("b.log=two\n");
            for (int i = 0; i < 5; i++) {
                Files.writeString(inbox.resolve("c" + i + ".log"), "c" + i + "\n");
            }
            for (int i = 0; i < 5; i++) {
                assertThat(read.poll(20, TimeUnit.SECONDS)).startsWith("c");
            }
            assertThat(overlaps).isEmpty();
        }
    }
}
