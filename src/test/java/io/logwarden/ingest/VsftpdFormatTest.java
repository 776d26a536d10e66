package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** vsftpd 3.0's own log lines, made up in the form Debian's default configuration writes them. */
class VsftpdFormatTest {

    private final LogFormat vsftpd = new VsftpdFormat(new TimestampParser(ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC)));
    private final SourceRef ref = SourceRef.fileLine("vsftpd.log", 3);

    @Test
    void theUserIsAnAttributeNotMessageTextAndAFailIsAnError() {
        LogEvent e = vsftpd.parse("Wed Dec  2 19:06:37 2026 [pid 18979] [ftp-acme] FAIL LOGIN: Client \"127.0.0.66\"", "ftp", ref);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-12-02T19:06:37Z"));
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.service()).isEqualTo("vsftpd");
        assertThat(e.message()).isEqualTo("FAIL LOGIN: Client \"127.0.0.66\"");
        assertThat(e.attributes()).containsEntry("pid", "18979").containsEntry("user", "ftp-acme")
                .containsEntry("client", "127.0.0.66");
        assertThat(e.ref()).isEqualTo(ref);
        LogEvent upload = vsftpd.parse("Wed Dec 12 09:00:01 2026 [pid 7] [bob] OK UPLOAD: Client \"10.0.0.5\","
                + " \"/incoming/a.xml\", 20480 bytes, 85.20Kbyte/sec", "ftp", ref);
        assertThat(upload.level()).isEqualTo(Level.INFO);
        assertThat(upload.message()).startsWith("OK UPLOAD: Client");
    }

    @Test
    void aConnectionHasNoUserAndARefusedOneIsAWarning() {
        LogEvent connect = vsftpd.parse("Wed Dec  2 19:06:37 2026 [pid 18980] CONNECT: Client \"127.0.0.192\"", "ftp", ref);
        assertThat(connect.level()).isEqualTo(Level.INFO);
        assertThat(connect.attributes()).containsEntry("client", "127.0.0.192").doesNotContainKey("user");
        LogEvent refused = vsftpd.parse("Wed Dec  2 19:11:30 2026 [pid 20001] CONNECT: Client \"127.0.0.22\","
                + " \"Connection refused: too many sessions for this address.\"", "ftp", ref);
        assertThat(refused.level()).isEqualTo(Level.WARN);
    }

    @Test
    void rejectsOtherLines() {
        assertThat(vsftpd.parse("Wed Dec  2 19:06:37 2026 1 127.0.0.192 152576 /pub/a.csv b _ o a lftp@ ftp 0 * c", "f", ref))
                .isNull(); // the xferlog
        assertThat(vsftpd.parse("Wed Dec  2 19:06:37 2026 [pid x] CONNECT", "f", ref)).isNull();
        assertThat(vsftpd.parse("[Wed Dec 02 19:06:37.123 2026] [core:error] [pid 1] AH00124: x", "f", ref)).isNull();
        assertThat(vsftpd.parse("short", "f", ref)).isNull();
    }
}
