package io.logwarden;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts a class of the test class path in a JVM of its own, as the tests that kill, crash or time
 * a whole process need. The child shares the test run's temporary folder (target/test-tmp, see {@link TestTempFolder}).
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java OPTIONS -Djava.io.tmpdir=… -cp CLASSPATH MAIN_CLASS ARGS}. */
    public static List<String> command(List<String> options, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** Points a child process that is not a JVM (Chromium) at the test run's temporary folder. */
    public static ProcessBuilder sharingTmp(ProcessBuilder builder) {
        builder.environment().put("TMPDIR", System.getProperty("java.io.tmpdir"));
        return builder;
    }
}
