package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AppLogFormatTest {

    private final LogFormat app = new AppLogFormat(new TimestampParser(ZoneOffset.UTC, Clock.systemUTC()));

    @Test
    void readsLog4j() {
        LogEvent e = app.parse("2026-01-15 10:00:00,123 ERROR [main] com.foo.Bar - Payment failed: id=42", "app", null);
        assertThat(e.timestamp()).isEqualTo("2026-01-15T10:00:00.123Z");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.service()).isEqualTo("com.foo.Bar");
        assertThat(e.message()).isEqualTo("Payment failed: id=42");
        assertThat(e.attributes()).containsEntry("thread", "main").containsEntry("logger", "com.foo.Bar");
    }

    @Test
    void readsZooKeepersThreadWithBracketsInside() {
        // ZooKeeper's log4j layout "%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n", a thread name holding "[myid=3]"
        LogEvent e = app.parse("2026-12-03 20:18:27,315 - WARN  [QuorumConnectionThread-[myid=3]-1:QuorumCnxManager@401]"
                + " - Cannot open channel to 1 at election address /127.0.0.1:20257", "zk", null);
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.service()).isNull();
        assertThat(e.attributes()).containsEntry("thread", "QuorumConnectionThread-[myid=3]-1:QuorumCnxManager@401");
        assertThat(e.message()).isEqualTo("Cannot open channel to 1 at election address /127.0.0.1:20257");
        assertThat(app.parse("2026-12-03 20:18:27,315 - WARN  [unclosed-[myid=3] - text", "zk", null)).isNull();
        // after "[thread] - " the message starts, though its first word ends with a colon
        LogEvent rate = app.parse("2026-12-03 20:22:18,754 - WARN  [NIOServerCxnFactory.AcceptThread:/127.0.0.1:20251:"
                + "RateLogger@57] - Message: Error accepting new connection", "zk", null);
        assertThat(rate.service()).isNull();
        assertThat(rate.message()).isEqualTo("Message: Error accepting new connection");
    }

    @Test
    void readsQuarkusAndWildFlyWithTheLoggerInBracketsAndTheThreadInParentheses() {
        LogEvent e = app.parse("2026-12-02 10:01:18,598 WARN  [org.keycloak.events] (executor-thread-1) type=LOGIN_ERROR,"
                + " realmId=shop, error=user_not_found", "kc", null);
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.service()).isEqualTo("org.keycloak.events");
        assertThat(e.message()).isEqualTo("type=LOGIN_ERROR, realmId=shop, error=user_not_found");
        assertThat(e.attributes()).containsEntry("thread", "executor-thread-1").containsEntry("logger", "org.keycloak.events");
        LogEvent wildfly = app.parse("2026-12-02 10:00:00,123 INFO  [org.jboss.as] (MSC service thread 1-2) WFLYSRV0049: started",
                "wf", null);
        assertThat(wildfly.attributes()).containsEntry("thread", "MSC service thread 1-2");
        assertThat(wildfly.message()).isEqualTo("WFLYSRV0049: started");
        // a thread in brackets before a message that starts with a parenthesis: the message keeps it
        LogEvent log4j = app.parse("2026-12-02 10:00:00,123 ERROR [main] (retry 2) giving up", "app", null);
        assertThat(log4j.attributes()).containsEntry("thread", "main");
        assertThat(log4j.message()).isEqualTo("(retry 2) giving up");
    }

    @Test
    void readsLogback() {
        LogEvent e = app.parse("2026-01-15 10:00:00.123 [http-nio-8080-exec-1] WARN  c.e.OrderService - Slow query - 812 ms", "app", null);
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.service()).isEqualTo("c.e.OrderService");
        assertThat(e.message()).isEqualTo("Slow query - 812 ms");
        assertThat(e.attributes()).containsEntry("thread", "http-nio-8080-exec-1");
    }

    @Test
    void readsSpringBootWithAndWithoutApplicationName() {
        LogEvent e = app.parse("2026-01-15T10:00:00.123Z  WARN 1234 --- [           main] o.s.b.w.e.tomcat.TomcatWebServer  : Tomcat started on port 8080", "app", null);
        assertThat(e.timestamp()).isEqualTo("2026-01-15T10:00:00.123Z");
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.service()).isEqualTo("o.s.b.w.e.tomcat.TomcatWebServer");
        assertThat(e.message()).isEqualTo("Tomcat started on port 8080");
        assertThat(e.attributes()).containsEntry("pid", "1234").containsEntry("thread", "main");
        LogEvent named = app.parse("2026-01-15T10:00:00.123+01:00 ERROR 77 --- [shop] [nio-8080-exec-3] c.e.Checkout : Checkout failed: card declined", "app", null);
        assertThat(named.timestamp()).isEqualTo("2026-01-15T09:00:00.123Z");
        assertThat(named.attributes()).containsEntry("app", "shop").containsEntry("thread", "nio-8080-exec-3");
        assertThat(named.message()).isEqualTo("Checkout failed: card declined");
    }

    @Test
    void readsPythonLogging() {
        LogEvent colon = app.parse("2026-01-15 10:00:00,123 ERROR app.worker: job 17 failed", "app", null);
        assertThat(colon.service()).isEqualTo("app.worker");
        assertThat(colon.message()).isEqualTo("job 17 failed");
        LogEvent dashes = app.parse("2026-01-15 10:00:00,123 - app.worker - CRITICAL - disk full", "app", null);
        assertThat(dashes.level()).isEqualTo(Level.FATAL);
        assertThat(dashes.service()).isEqualTo("app.worker");
        assertThat(dashes.message()).isEqualTo("disk full");
    }

    @Test
    void readsLinesWithoutLogger() {
        LogEvent e = app.parse("2026-01-15 10:00:00 INFO Server started in 2.3 seconds", "app", null);
        assertThat(e.service()).isNull();
        assertThat(e.message()).isEqualTo("Server started in 2.3 seconds");
        LogEvent bracketed = app.parse("2026-01-15 10:00:00 [ERROR] Connection refused", "app", null);
        assertThat(bracketed.level()).isEqualTo(Level.ERROR);
        assertThat(bracketed.message()).isEqualTo("Connection refused");
    }

    @Test
    void readsRabbitMqsErlangProcessAsThePid() {
        LogEvent e = app.parse("2026-12-02 16:34:47.309641+00:00 [error] <0.4372.0> closing AMQP connection <0.4363.0>"
                + " (127.0.0.31:42247 -> 127.0.0.1:5672 - notifier-1):", "rabbit.log", null);
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.attributes()).containsEntry("pid", "<0.4372.0>");
        assertThat(e.message()).startsWith("closing AMQP connection <0.4363.0>");
        assertThat(e.service()).isNull();
        // a message that opens with a word and a colon keeps it: it is no logger after an Erlang process
        LogEvent flags = app.parse("2026-12-02 16:32:20.049928+00:00 [notice] <0.223.0> Logging: configured log handlers"
                + " are now ACTIVE", "rabbit.log", null);
        assertThat(flags.message()).isEqualTo("Logging: configured log handlers are now ACTIVE");
        assertThat(flags.level()).isEqualTo(Level.INFO);
    }

    @Test
    void requiresATimestampAndALevel() {
        assertThat(app.parse("2026-01-15 10:00:00 web-1 sshd[1]: Accepted publickey", "app", null)).isNull();
        assertThat(app.parse("10:00:00.123 [main] INFO com.foo.Bar - no date", "app", null)).isNull();
        assertThat(app.parse("java.lang.IllegalStateException: boom", "app", null)).isNull();
        assertThat(app.parse("\tat com.foo.Bar.run(Bar.java:12)", "app", null)).isNull();
    }
}
