package io.logwarden.cli;

/**
 * A problem the user can fix, told in one line without a stack trace: a wrong command line (exit 2) or an input that
 * cannot be read (exit 1).
 */
final class CliError extends Exception {

    static final int INPUT = 1;
    static final int USAGE = 2;

    private final int exitCode;

    private CliError(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** The command line is wrong: unknown option or format, bad regex, no file. */
    static CliError usage(String message) {
        return new CliError(USAGE, message);
    }

    /** An input is missing, unreadable or unusable: a log file, the --config file. */
    static CliError input(String message) {
        return new CliError(INPUT, message);
    }

    int exitCode() {
        return exitCode;
    }
}
