package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Nagios Core 4's log lines, made up in the form it writes them. */
class NagiosFormatTest {

    private final LogFormat nagios = new NagiosFormat(new TimestampParser(ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC)));
    private final SourceRef ref = SourceRef.fileLine("nagios.log", 7);

    private LogEvent parse(String line) {
        return nagios.parse(line, "nagios.log", ref);
    }

    @Test
    void anAlertNamesItsHostAndServiceAsFieldsAndTakesItsStatesLevel() {
        LogEvent e = parse("[1796311579] SERVICE ALERT: api01;API port;CRITICAL;SOFT;1;connect to address 127.0.0.12"
                + " and port 20188: Connection refused");
        assertThat(e.timestamp()).isEqualTo(Instant.ofEpochSecond(1796311579));
        assertThat(e.host()).isEqualTo("api01");
        assertThat(e.service()).isEqualTo("API port");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.message()).isEqualTo("SERVICE ALERT: CRITICAL; SOFT; 1; connect to address 127.0.0.12 and port 20188:"
                + " Connection refused");
        assertThat(e.ref()).isEqualTo(ref);
        LogEvent host = parse("[1796311892] HOST ALERT: nas01;DOWN;SOFT;1;CRITICAL - Socket timeout after 4 seconds");
        assertThat(host.host()).isEqualTo("nas01");
        assertThat(host.service()).isNull();
        assertThat(host.level()).isEqualTo(Level.ERROR);
        assertThat(host.message()).isEqualTo("HOST ALERT: DOWN; SOFT; 1; CRITICAL - Socket timeout after 4 seconds");
        assertThat(parse("[1796311930] SERVICE ALERT: web01;HTTP;WARNING;HARD;3;HTTP WARNING: HTTP/1.1 404").level())
                .isEqualTo(Level.WARN);
        assertThat(parse("[1796311940] SERVICE ALERT: web01;HTTP;OK;HARD;3;HTTP OK: HTTP/1.1 200 OK").level())
                .isEqualTo(Level.INFO);
    }

    @Test
    void aNotificationsContactIsAnAttributeAndStatesListedAtStartAreInformation() {
        LogEvent n = parse("[1796311599] SERVICE NOTIFICATION: oncall-pager;api01;API health;CRITICAL;notify-service-by-sms;"
                + "connect to address 127.0.0.12 and port 20188: Connection refused");
        assertThat(n.attributes()).containsEntry("contact", "oncall-pager");
        assertThat(n.host()).isEqualTo("api01");
        assertThat(n.service()).isEqualTo("API health");
        assertThat(n.level()).isEqualTo(Level.ERROR);
        assertThat(n.message()).startsWith("SERVICE NOTIFICATION: CRITICAL; notify-service-by-sms; connect to");
        LogEvent initial = parse("[1796311489] INITIAL SERVICE STATE: db01;MySQL;CRITICAL;HARD;3;Connection refused");
        assertThat(initial.level()).isEqualTo(Level.INFO);
        assertThat(initial.service()).isEqualTo("MySQL");
        LogEvent flapping = parse("[1796311926] HOST FLAPPING ALERT: nas01;STARTED; Host appears to have started flapping"
                + " (23.2% change > 20.0% threshold)");
        assertThat(flapping.level()).isEqualTo(Level.WARN);
        assertThat(flapping.message()).isEqualTo("HOST FLAPPING ALERT: STARTED;  Host appears to have started flapping"
                + " (23.2% change > 20.0% threshold)");
    }

    @Test
    void passiveResultsAndExternalCommandsNameTheirHostAndService() {
        LogEvent passive = parse("[1796311491] PASSIVE SERVICE CHECK: log01;Disk /;2;DISK CRITICAL - free space: / 120 MB (1%)");
        assertThat(passive.host()).isEqualTo("log01");
        assertThat(passive.service()).isEqualTo("Disk /");
        assertThat(passive.level()).isEqualTo(Level.ERROR);
        assertThat(passive.message()).isEqualTo("PASSIVE SERVICE CHECK: 2; DISK CRITICAL - free space: / 120 MB (1%)");
        LogEvent command = parse("[1796311491] EXTERNAL COMMAND: PROCESS_SERVICE_CHECK_RESULT;log01;Load;0;LOAD OK - total"
                + " load average: 0.28, 0.25, 0.22|load1=0.278;8.000;15.000;0;");
        assertThat(command.host()).isEqualTo("log01");
        assertThat(command.service()).isEqualTo("Load");
        assertThat(command.level()).isEqualTo(Level.INFO);
        assertThat(command.message()).isEqualTo("EXTERNAL COMMAND: PROCESS_SERVICE_CHECK_RESULT; 0; LOAD OK - total load"
                + " average: 0.28, 0.25, 0.22|load1=0.278;8.000;15.000;0;");
        LogEvent global = parse("[1796311500] EXTERNAL COMMAND: SAVE_STATE_INFORMATION");
        assertThat(global.host()).isNull();
        assertThat(global.message()).isEqualTo("EXTERNAL COMMAND: SAVE_STATE_INFORMATION");
    }

    @Test
    void freeTextTakesItsLevelFromItsFirstWord() {
        LogEvent warning = parse("[1796311511] Warning:  Passive check result was received for service 'Disk /' on host"
                + " 'ci03', but the host could not be found!");
        assertThat(warning.level()).isEqualTo(Level.WARN);
        assertThat(warning.host()).isNull();
        assertThat(warning.message()).startsWith("Warning:  Passive check result");
        assertThat(parse("[1796311511] Error: External command failed -> PROCESS_SERVICE_CHECK_RESULT;ci03;Load;0;OK").level())
                .isEqualTo(Level.ERROR);
        LogEvent sighup = parse("[1796311724] Caught SIGHUP, restarting...");
        assertThat(sighup.level()).isEqualTo(Level.INFO);
        assertThat(sighup.message()).isEqualTo("Caught SIGHUP, restarting...");
    }

    @Test
    void rejectsOtherLines() {
        assertThat(parse("1764676800: New connection from 127.0.0.1 on port 1883.")).isNull(); // Mosquitto
        assertThat(parse("[12345] 2026/12/03 15:13:20.102680 [INF] Starting nats-server")).isNull(); // NATS' pid
        assertThat(parse("[1764676800] unbound[23230:0] notice: init module 0: validator")).isNull(); // Unbound's own
        assertThat(parse("[Wed Dec 02 19:06:37.123 2026] [core:error] [pid 1] AH00124: x")).isNull();
        assertThat(parse("[1796311579]")).isNull();
    }

    @Test
    void aTypeWithoutItsFieldsIsText() {
        LogEvent version = parse("[1796311489] LOG VERSION: 2.0");
        assertThat(version.message()).isEqualTo("LOG VERSION: 2.0");
        assertThat(version.level()).isEqualTo(Level.INFO);
        assertThat(parse("[1796311579] SERVICE ALERT: no fields").host()).isNull();
        LogEvent transition = parse("[1796311600] TIMEPERIOD TRANSITION: 24x7;-1;1");
        assertThat(transition.host()).isNull();
        assertThat(transition.message()).isEqualTo("TIMEPERIOD TRANSITION: 24x7;-1;1");
        LogEvent global = parse("[1796311601] GLOBAL SERVICE EVENT HANDLER: db01;MySQL;CRITICAL;SOFT;1;log-to-cmdb");
        assertThat(global.host()).isEqualTo("db01");
        assertThat(global.service()).isEqualTo("MySQL");
        assertThat(global.level()).isEqualTo(Level.INFO);
        assertThat(parse("[1796311579] SERVICE NOTIFICATION: onlyacontact").message())
                .isEqualTo("SERVICE NOTIFICATION: onlyacontact");
    }
}
