package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class KlogFormatTest {

    private final KlogFormat klog = new KlogFormat(new TimestampParser(ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC)));
    private final SourceRef ref = SourceRef.fileLine("kubelet.log", 4);

    /** The kubelet's klog header, with a structured message as klog 2 writes it. */
    private static final String ERROR = "E1202 10:00:08.621429    2137 pod_workers.go:965] \"Error syncing pod, skipping\""
            + " err=\"failed to \\\"StartContainer\\\" for \\\"web\\\" with ImagePullBackOff\" pod=\"shop/web-7d4b9\"";

    @Test
    void readsTheLevelLetterTheYearlessStampTheThreadAndTheSourceFile() {
        LogEvent e = klog.parse(ERROR, "kubelet", ref);
        assertThat(e.timestamp()).isEqualTo("2026-12-02T10:00:08.621429Z");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.service()).isEqualTo("pod_workers.go:965");
        assertThat(e.message()).startsWith("\"Error syncing pod, skipping\" err=");
        assertThat(e.attributes()).containsEntry("tid", "2137");
        assertThat(e.raw()).isEqualTo(ERROR);
        assertThat(klog.parse("I0101 00:00:01.000001 1 main.go:42] started", "k", ref).timestamp())
                .as("read in December, January is this year's: the latest year not in the future")
                .isEqualTo("2026-01-01T00:00:01.000001Z");
        assertThat(klog.parse("W1202 10:00:08.621429 1 a.go:1] x", "k", ref).level()).isEqualTo(Level.WARN);
        assertThat(klog.parse("F1202 10:00:08.621429 1 a.go:1]", "k", ref).message()).isEmpty();
    }

    @Test
    void otherLinesAreNotKlogAndAreFoldedIntoTheEventBefore() {
        assertThat(klog.foldsUntimedLines()).isTrue();
        assertThat(klog.startsEvent(ERROR)).isTrue();
        assertThat(klog.startsEvent("goroutine 1 [running]:")).isFalse();
        assertThat(klog.parse("D1202 10:00:08.621429 1 a.go:1] x", "k", ref)).as("no D level in klog").isNull();
        assertThat(klog.parse("I1202 10:00:08 1 a.go:1] x", "k", ref)).as("no fraction").isNull();
        assertThat(klog.parse("I1202 10:00:08.621429 x a.go:1] x", "k", ref)).as("no thread id").isNull();
        assertThat(klog.parse("I1202 10:00:08.621429 1 a go:1] x", "k", ref)).as("file with a space").isNull();
        assertThat(klog.parse("I1202 10:00:08.621429 1 main] x", "k", ref)).as("no line number").isNull();
        for (int cut = 0; cut <= ERROR.length(); cut++) klog.parse(ERROR.substring(0, cut), "k", ref); // never throws
    }
}
