package io.logwarden;

import io.logwarden.cli.LogwardenCli;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Logwarden: finds anomalies in operational data and explains them. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LogwardenApplication {

    public static void main(String[] args) {
        // The command line (templates, analyze, help) runs without Spring, Camel or a database, so it starts fast.
        if (LogwardenCli.isCommand(args)) {
            LogwardenCli.main(args);
            return;
        }
        SpringApplication.run(LogwardenApplication.class, args);
    }

    /** The one clock everything reads, so tests can fix time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
