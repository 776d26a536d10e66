package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Transfer log lines in wu-ftpd's xferlog form, made up as vsftpd, ProFTPD and old wu-ftpd write them. */
class XferlogFormatTest {

    private final LogFormat xferlog = new XferlogFormat(new TimestampParser(ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC)));
    private final SourceRef ref = SourceRef.fileLine("xferlog", 7);

    @Test
    void anIncompleteUploadIsAWarningWithItsUserClientAndDirectory() {
        LogEvent e = xferlog.parse("Wed Dec  2 19:09:47 2026 1 127.0.0.21 0 /incoming/ORDERS_20261202.xml b _ i r ftp-acme ftp 0 * i",
                "ftp", ref);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-12-02T19:09:47Z"));
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.service()).isEqualTo("ftp");
        assertThat(e.message()).isEqualTo("upload incomplete: /incoming/ORDERS_20261202.xml, 0 bytes in 1 s");
        assertThat(e.attributes()).containsEntry("user", "ftp-acme").containsEntry("client", "127.0.0.21")
                .containsEntry("path", "/incoming").containsEntry("bytes", "0");
        assertThat(e.ref()).isEqualTo(ref);
    }

    @Test
    void anAnonymousDownloadKeepsTheGivenAddressOut() {
        LogEvent e = xferlog.parse("Wed Dec 12 09:00:01 2026 3 10.0.0.192 152576 /pub.csv b _ o a lftp@example.com ftp 0 * c",
                "ftp", ref);
        assertThat(e.level()).isEqualTo(Level.INFO);
        assertThat(e.message()).isEqualTo("download complete: /pub.csv, 152576 bytes in 3 s");
        assertThat(e.attributes()).containsEntry("user", "anonymous").containsEntry("path", "/")
                .containsEntry("bytes", "152576");
        assertThat(e.attributes().toString()).doesNotContain("lftp@example.com");
    }

    @Test
    void aFileNameWithSpacesAndALineWithoutStatusAreRead() {
        LogEvent spaces = xferlog.parse("Mon Mar  2 08:15:00 2026 12 ftp.example.com 1024 /home/ann/my report 2.pdf a _ d r ann ftp 0 * c",
                "ftp", ref); // ProFTPD: a host name, a delete
        assertThat(spaces.message()).isEqualTo("delete complete: /home/ann/my report 2.pdf, 1024 bytes in 12 s");
        assertThat(spaces.attributes()).containsEntry("path", "/home/ann").containsEntry("client", "ftp.example.com");
        LogEvent old = xferlog.parse("Mon Mar  2 08:15:00 2026 2 10.1.1.1 99 /x/y.tar b _ o g guest ftp 0 *", "ftp", ref);
        assertThat(old.level()).isEqualTo(Level.INFO); // wu-ftpd before 2.6: no completion status
        assertThat(old.message()).startsWith("download complete: /x/y.tar");
        assertThat(old.attributes()).containsEntry("user", "guest");
    }

    @Test
    void rejectsOtherLines() {
        assertThat(xferlog.parse("Wed Dec  2 19:06:37 2026 [pid 18980] CONNECT: Client \"127.0.0.192\"", "f", ref)).isNull();
        assertThat(xferlog.parse("Wed Dec  2 19:06:37 2026 1 127.0.0.1 5 /a.txt b _ x r bob ftp 0 * c", "f", ref))
                .isNull(); // no such direction
        assertThat(xferlog.parse("Wed Dec  2 19:06:37 2026 1 127.0.0.1 5 /a.txt b _ o r bob ftp 0 * c extra", "f", ref))
                .isNull();
        assertThat(xferlog.parse("Wed Dec  2 19:06:37 2026 1 127.0.0.1 five /a.txt b _ o r bob ftp 0 * c", "f", ref))
                .isNull();
        assertThat(xferlog.parse("Wed Dex  2 19:06:37 2026 1 127.0.0.1 5 /a.txt b _ o r bob ftp 0 * c", "f", ref)).isNull();
        assertThat(xferlog.parse("short", "f", ref)).isNull();
    }
}
