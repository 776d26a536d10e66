package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Samba 4.17's log file (smbd with auth_audit and full_audit), lines made up in the forms it writes. */
class SambaFormatTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC);
    private final LogFormat samba = new SambaFormat(new TimestampParser(ZoneOffset.UTC, CLOCK));
    private final SourceRef ref = SourceRef.fileLine("log.smbd", 3);

    @TempDir
    Path dir;

    @Test
    void aHeaderGivesTheStampTheLevelAndTheSourceFileAndTheLinesBelowItTheMessage() {
        LogEvent header = samba.parse("[2026/12/03 13:18:58.831433,  0] ../../source3/smbd/smb2_service.c:772(make_connection_snum)",
                "f", ref);
        assertThat(header.timestamp()).isEqualTo(Instant.parse("2026-12-03T13:18:58.831433Z"));
        assertThat(header.service()).isEqualTo("smbd/smb2_service");
        LogEvent event = samba.withFolded(header,
                "  make_connection_snum: canonicalize_connect_path failed for service projects, path /srv/shares/projects");
        assertThat(event.message()).isEqualTo(
                "make_connection_snum: canonicalize_connect_path failed for service projects, path /srv/shares/projects");
        assertThat(event.level()).isEqualTo(Level.ERROR);
        assertThat(event.raw()).startsWith("[2026/12/03 13:18:58.831433,  0]").endsWith("/srv/shares/projects");

        // level 0 that says nothing failed (the start-up banner) is a warning; level 3 information
        LogEvent banner = samba.withFolded(samba.parse("[2026/12/03 13:15:09.989850,  0] ../../source3/smbd/server.c:1741(main)",
                "f", ref), "  smbd version 4.17.12-Debian started.\n  Copyright Andrew Tridgell and the Samba Team 1992-2022");
        assertThat(banner.level()).isEqualTo(Level.WARN);
        assertThat(banner.message()).isEqualTo("smbd version 4.17.12-Debian started.\nCopyright Andrew Tridgell and the Samba Team 1992-2022");
        assertThat(samba.parse("[2026/12/03 13:15:09.989850,  3] ../../source3/smbd/server.c:1741(main)", "f", ref).level())
                .isEqualTo(Level.INFO);
        // debug prefix timestamp: the message on the header's line; debug pid and class read
        LogEvent oneLine = samba.parse("[2026/12/03 13:15:09.989850,  1, pid=24795, class=auth_audit] INFO: Profiling turned OFF",
                "f", ref);
        assertThat(oneLine.message()).isEqualTo("INFO: Profiling turned OFF");
        assertThat(oneLine.level()).isEqualTo(Level.WARN);
        assertThat(oneLine.attributes()).containsEntry("pid", "24795").containsEntry("class", "auth_audit");
    }

    @Test
    void anAuthenticationLineNamesUserClientAndStatusAndAFailureIsAWarning() {
        LogEvent header = samba.parse("[2026/12/03 13:15:31.937349,  2] ../../auth/auth_log.c:647(log_authentication_event_human_readable)",
                "f", ref);
        LogEvent failed = samba.withFolded(header, "  Auth: [SMB2,(null)] user [OFFICE]\\[pneumann] at [Thu, 03 Dec 2026"
                + " 13:15:31.937330 UTC] with [NTLMv2] status [NT_STATUS_WRONG_PASSWORD] workstation [NB-PNEUMANN] remote host"
                + " [ipv4:127.0.0.107:52815] mapped to [OFFICE]\\[pneumann]. local host [ipv4:127.0.0.1:445] ");
        assertThat(failed.level()).isEqualTo(Level.WARN);
        assertThat(failed.service()).isEqualTo("auth/auth_log");
        assertThat(failed.attributes()).containsEntry("user", "pneumann").containsEntry("client", "127.0.0.107")
                .containsEntry("result", "NT_STATUS_WRONG_PASSWORD").containsEntry("workstation", "NB-PNEUMANN");
        LogEvent ok = samba.withFolded(header, "  Auth: [SMB2,(null)] user [OFFICE]\\[anna] at [x] with [NTLMv2] status"
                + " [NT_STATUS_OK] workstation [PC-1] remote host [ipv6:[::1]:40000] became [FILES01]\\[anna]");
        assertThat(ok.level()).isEqualTo(Level.INFO);
        assertThat(ok.attributes()).containsEntry("client", "::1");
    }

    @Test
    void aFullAuditLineNamesWhoDidWhatAndSpacesItsFields() {
        LogEvent header = samba.parse("[2026/12/03 13:21:13.342500,  1] ../../source3/modules/vfs_full_audit.c:643(do_log)",
                "f", ref);
        LogEvent failed = samba.withFolded(header,
                "  lhoffmann|127.0.0.105|cad-ws02|scans|pwrite_recv|fail (Success)|/srv/scans/survey/DSC04741.JPG");
        assertThat(failed.level()).isEqualTo(Level.WARN);
        assertThat(failed.message()).isEqualTo(
                "lhoffmann | 127.0.0.105 | cad-ws02 | scans | pwrite_recv | fail (Success) | /srv/scans/survey/DSC04741.JPG");
        assertThat(failed.attributes()).containsEntry("user", "lhoffmann").containsEntry("client", "127.0.0.105")
                .containsEntry("operation", "pwrite_recv").containsEntry("result", "fail (Success)");
        LogEvent ok = samba.withFolded(header, "  svc-scan|127.0.0.30|connect|ok|scans");
        assertThat(ok.level()).isEqualTo(Level.INFO);
        assertThat(ok.attributes()).containsEntry("user", "svc-scan").containsEntry("operation", "connect");
    }

    @Test
    void rejectsOtherLines() {
        assertThat(samba.parse("[2026-12-03 13:15:09.989850,  0] ../../source3/smbd/server.c:1741(main)", "f", ref)).isNull();
        assertThat(samba.parse("[2026/12/03 13:15:09.989850] [error] x", "f", ref)).isNull();
        assertThat(samba.parse("[2026/12/03 13:15:09.989850, x] y", "f", ref)).isNull();
        assertThat(samba.parse("2026/12/03 13:15:09 [error] 12#12: *1 connect() failed", "f", ref)).isNull();
    }

    @Test
    void aLogIsDetectedAndEachHeaderWithItsLinesIsOneEvent() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add("[2026/12/03 13:15:" + (10 + i) + ".342500,  1] ../../source3/modules/vfs_full_audit.c:643(do_log)");
            lines.add("  user" + i % 3 + "|127.0.0." + (100 + i % 3) + "|connect|ok|projects");
            lines.add("[2026/12/03 13:15:" + (10 + i) + ".500000,  3] ../../auth/auth_log.c:647(log_authentication_event_human_readable)");
            lines.add("  Auth: [SMB2,(null)] user [OFFICE]\\[user" + i % 3 + "] at [x] with [NTLMv2] status [NT_STATUS_OK]"
                    + " workstation [PC] remote host [ipv4:127.0.0.1:445] became [FILES01]\\[u]");
        }
        Path file = dir.resolve("log.smbd");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        IngestSettings settings = IngestSettings.defaults();
        LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);
        List<LogEvent> events = new ArrayList<>();
        try (EventBatches batches = reader.open(file, "smbd")) {
            batches.forEachRemaining(events::addAll);
            assertThat(batches.summary().format()).isEqualTo("samba");
        }
        assertThat(events).hasSize(60);
        assertThat(events.get(0).message()).isEqualTo("user0 | 127.0.0.100 | connect | ok | projects");
        assertThat(events.get(1).attributes()).containsEntry("user", "user0");
    }
}
