package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyslogFormatTest {

    private final LogFormat syslog = new SyslogFormat(new TimestampParser(ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC)));

    @Test
    void readsRfc3164WithPri() {
        LogEvent e = syslog.parse("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8", "sys", null);
        assertThat(e.timestamp()).isEqualTo("2026-10-11T22:14:15Z");
        assertThat(e.level()).isEqualTo(Level.FATAL); // severity 2: critical
        assertThat(e.host()).isEqualTo("mymachine");
        assertThat(e.service()).isEqualTo("su");
        assertThat(e.message()).isEqualTo("'su root' failed for lonvick on /dev/pts/8");
        assertThat(e.attributes()).containsEntry("pid", "123").containsEntry("facility", "4");
    }

    @Test
    void readsAProgramsOwnFileWithNoHostAndDovecotsLogPrefix() {
        LogEvent login = syslog.parse("Dec 02 13:23:14 imap-login: Info: Login: user=<julia.novak>, method=LOGIN,"
                + " rip=127.0.0.105, lip=127.0.0.1, mpid=15449, session=<3qWOi6ZhF7p/AABp>", "dovecot", null);
        assertThat(login.host()).isNull();
        assertThat(login.service()).isEqualTo("imap-login");
        assertThat(login.level()).isEqualTo(Level.INFO);
        assertThat(login.message()).startsWith("Login: user=<julia.novak>");
        LogEvent quota = syslog.parse("Dec 02 13:26:43 lmtp(julia.novak@shop.example)<15418><8LidLJMcEGs6PAAAg+zDdQ>:"
                + " Info: msgid=<1796.15052@shop.example>: save failed to INBOX: Quota exceeded", "dovecot", null);
        assertThat(quota.service()).isEqualTo("lmtp");
        assertThat(quota.attributes()).containsEntry("user", "julia.novak@shop.example").containsEntry("pid", "15418")
                .containsEntry("session", "8LidLJMcEGs6PAAAg+zDdQ");
        assertThat(quota.message()).isEqualTo("msgid=<1796.15052@shop.example>: save failed to INBOX: Quota exceeded");
        LogEvent killed = syslog.parse("Dec 02 13:30:01 master: Warning: Killed with signal 15 (by pid=1 uid=0 code=kill)", "dovecot", null);
        assertThat(killed.level()).isEqualTo(Level.WARN);
        assertThat(killed.message()).isEqualTo("Killed with signal 15 (by pid=1 uid=0 code=kill)");
        // Linux's PAM tag keeps its parentheses, and a host's line keeps its level words in the message
        LogEvent pam = syslog.parse("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown", "sys", null);
        assertThat(pam.host()).isEqualTo("combo");
        assertThat(pam.service()).isEqualTo("sshd(pam_unix)");
        assertThat(syslog.parse("Dec 02 13:30:01 db1 app: Warning: disk 91% full", "sys", null).message())
                .isEqualTo("Warning: disk 91% full");
        assertThat(syslog.parse("Dec 02 13:30:01 ERROR: disk full", "sys", null)).isNull(); // an application's log
        assertThat(syslog.parse("Dec 02 13:30:01 log rsyslogd: restarted", "sys", null).host()).isEqualTo("log");
    }

    @Test
    void readsFileLinesWithoutPriTakingTheLevelFromTheMessage() {
        LogEvent cron = syslog.parse("Nov  3 06:25:01 web-1 CRON[2211]: (root) CMD (test -x /usr/sbin/anacron)", "sys", null);
        assertThat(cron.timestamp()).isEqualTo("2026-11-03T06:25:01Z");
        assertThat(cron.level()).isEqualTo(Level.INFO);
        assertThat(cron.service()).isEqualTo("CRON");
        assertThat(cron.message()).isEqualTo("(root) CMD (test -x /usr/sbin/anacron)");
        LogEvent kernel = syslog.parse("Nov  3 06:25:01 web-1 kernel: [12345.678] EXT4-fs error (device sda1): bad block", "sys", null);
        assertThat(kernel.service()).isEqualTo("kernel");
        assertThat(kernel.attributes()).doesNotContainKey("pid");
        LogEvent err = syslog.parse("Nov  3 06:25:01 web-1 sshd[99]: error: kex_exchange_identification: Connection closed", "sys", null);
        assertThat(err.level()).isEqualTo(Level.ERROR);
        LogEvent failed = syslog.parse("Nov  3 06:25:01 web-1 sshd[99]: Failed password for invalid user admin from 203.0.113.5 port 4242 ssh2", "sys", null);
        assertThat(failed.level()).isEqualTo(Level.INFO);
        LogEvent noTag = syslog.parse("Nov  3 06:25:01 web-1 last message repeated 3 times", "sys", null);
        assertThat(noTag.service()).isNull();
        assertThat(noTag.message()).isEqualTo("last message repeated 3 times");
    }

    @Test
    void readsRsyslogHighPrecisionStamps() {
        LogEvent e = syslog.parse("2026-01-15T10:00:00.123456+01:00 web-1 systemd[1]: Started Session 42 of user root.", "sys", null);
        assertThat(e.timestamp()).isEqualTo("2026-01-15T09:00:00.123456Z");
        assertThat(e.service()).isEqualTo("systemd");
    }

    @Test
    void readsRfc5424WithStructuredData() {
        LogEvent e = syslog.parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][other k=\"a \\\"b\\\" \\]\"] "
                + "\uFEFFAn application event log entry", "sys", null);
        assertThat(e.timestamp()).isEqualTo("2003-10-11T22:14:15.003Z");
        assertThat(e.level()).isEqualTo(Level.INFO); // severity 5: notice
        assertThat(e.host()).isEqualTo("mymachine.example.com");
        assertThat(e.service()).isEqualTo("evntslog");
        assertThat(e.message()).isEqualTo("An application event log entry");
        assertThat(e.attributes()).containsEntry("msgid", "ID47").containsEntry("facility", "20")
                .containsEntry("sd.exampleSDID@32473.eventSource", "Application")
                .containsEntry("sd.other.k", "a \"b\" ]").doesNotContainKey("pid");
        LogEvent nil = syslog.parse("<11>1 2026-01-15T10:00:00Z host app 77 - - disk full", "sys", null);
        assertThat(nil.level()).isEqualTo(Level.ERROR);
        assertThat(nil.message()).isEqualTo("disk full");
        assertThat(nil.attributes()).containsEntry("pid", "77");
    }

    @Test
    void readsAnLdapServersStatisticsLines() {
        // OpenLDAP's slapd with loglevel stats: the connection, its peer, the bind's DN, the result's code
        LogEvent accept = syslog.parse("Dec  3 07:37:58 vm slapd[6185]: conn=1035 fd=11 ACCEPT from IP=127.0.0.66:42989"
                + " (IP=127.0.0.1:389)", "ldap", null);
        assertThat(accept.attributes()).containsEntry("conn", "1035").containsEntry("client", "127.0.0.66");
        assertThat(accept.level()).isEqualTo(Level.INFO);
        LogEvent bind = syslog.parse("Dec  3 07:37:58 vm slapd[6185]: conn=1035 op=0 BIND dn=\"uid=bob,ou=people,dc=corp,dc=example\""
                + " method=128", "ldap", null);
        assertThat(bind.attributes()).containsEntry("user", "uid=bob,ou=people,dc=corp,dc=example");
        LogEvent failed = syslog.parse("Dec  3 07:37:58 vm slapd[6185]: conn=1035 op=0 RESULT tag=97 err=49 qtime=0.000026"
                + " etime=0.000143 text=", "ldap", null);
        assertThat(failed.level()).isEqualTo(Level.WARN);
        assertThat(failed.attributes()).containsEntry("status", "49").containsEntry("protocol", "LDAP");
        assertThat(failed.message()).startsWith("conn=1035 op=0 RESULT");
        LogEvent found = syslog.parse("Dec  3 07:37:59 vm slapd[6185]: conn=1036 op=1 SEARCH RESULT tag=101 err=0 qtime=0.000010"
                + " etime=0.000300 nentries=3 text=", "ldap", null);
        assertThat(found.level()).isEqualTo(Level.INFO);
        assertThat(found.attributes()).containsEntry("status", "0");
        LogEvent busy = syslog.parse("Dec  3 07:38:00 vm slapd[6185]: conn=1037 op=2 RESULT tag=101 err=51 text=busy", "ldap", null);
        assertThat(busy.level()).isEqualTo(Level.ERROR);
        // "conn=" with no number after it is any message
        assertThat(syslog.parse("Dec  3 07:38:00 vm app[1]: conn=pool-1 RESULT err=49", "s", null).attributes())
                .doesNotContainKey("status");
    }

    @Test
    void rejectsOtherLines() {
        assertThat(syslog.parse("2026-01-15 10:00:00,123 ERROR [main] com.foo.Bar - boom", "sys", null)).isNull();
        assertThat(syslog.parse("2026-01-15T10:00:00Z ERROR app.worker: job failed", "sys", null)).isNull();
        assertThat(syslog.parse("2026-01-15T10:00:00Z web-1 no tag here", "sys", null)).isNull();
        assertThat(syslog.parse("<999>Oct 11 22:14:15 host su: x", "sys", null)).isNull();
        assertThat(syslog.parse("Hello world, this is not syslog", "sys", null)).isNull();
        assertThat(syslog.parse("Dec 02 18:00:01 c2s55d4a8f0\tinfo\tClient connected", "sys", null)).isNull(); // Prosody's columns
        assertThat(syslog.parse("\tat com.foo.Bar.run(Bar.java:12)", "sys", null)).isNull();
    }
}
