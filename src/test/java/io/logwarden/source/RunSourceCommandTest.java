package io.logwarden.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.cli.LogwardenCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code run-source} from the command line against the running service. */
class RunSourceCommandTest extends SourcesTestSupport {

    @Test
    void runsASourceInTheServiceAndReportsItsJob() throws Exception {
        Path passwordFile = Files.writeString(DIR.resolve("cli-password"), PASSWORD + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LogwardenCli.run(new String[] {"run-source", "--url", "http://127.0.0.1:" + port,
                "--password-file", passwordFile.toString(), "no-table"}, new PrintStream(out), new PrintStream(err));
        assertThat(code).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"status\":\"failed\"").contains("no_such_table");

        out.reset();
        err.reset();
        code = LogwardenCli.run(new String[] {"run-source", "--url", "http://127.0.0.1:" + port,
                "--password-file", passwordFile.toString(), "nope"}, new PrintStream(out), new PrintStream(err));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("HTTP 404").contains("no source named nope");
    }
}
