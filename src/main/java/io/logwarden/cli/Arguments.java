package io.logwarden.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A parsed command line: {@code COMMAND [OPTIONS] FILE...}. Options take their value as the next argument or after
 * {@code =}; {@code --} ends the options.
 *
 * @param format     {@code auto}, {@code raw} or a format name (checked against the registry later, which knows the
 *                   user formats)
 * @param sessionKey compiled {@code --session-key}, or null
 */
record Arguments(String command, boolean help, String format, Path config, Pattern sessionKey, boolean sessions,
                 List<Path> files) {

    static final String TEMPLATES = "templates";
    static final String ANALYZE = "analyze";
    static final String HELP = "help";
    static final String AUTO = "auto";
    static final String RAW = "raw";
    static final String RUN_SOURCE = "run-source";
    static final String FEEDBACK = "feedback";

    private static final Set<String> COMMANDS = Set.of(TEMPLATES, ANALYZE, HELP, RUN_SOURCE, FEEDBACK, "--help", "-h");

    /** True when these arguments ask for the command line rather than the service. */
    static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    static Arguments parse(String[] args) throws CliError {
        if (args.length == 0) {
            throw CliError.usage("no command; commands: templates, analyze, help");
        }
        String command = args[0];
        if (command.equals(HELP) || command.equals("--help") || command.equals("-h")) {
            return new Arguments(HELP, true, AUTO, null, null, false, List.of());
        }
        if (!command.equals(TEMPLATES) && !command.equals(ANALYZE)) {
            throw CliError.usage("unknown command '" + command + "'; commands: templates, analyze, help");
        }
        boolean analyze = command.equals(ANALYZE);
        String format = AUTO;
        Path config = null;
        Pattern sessionKey = null;
        boolean sessions = false;
        List<Path> files = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                files.add(Path.of(arg));
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--" -> optionsEnded = true;
                case "-h", "--help" -> {
                    return new Arguments(HELP, true, AUTO, null, null, false, List.of());
                }
                case "--format" -> format = value != null ? value : valueOf(args, ++i, name);
                case "--config" -> config = Path.of(value != null ? value : valueOf(args, ++i, name));
                case "--session-key" -> {
                    if (!analyze) throw unknownOption(arg, command);
                    sessionKey = compile(value != null ? value : valueOf(args, ++i, name));
                }
                case "--sessions" -> {
                    if (!analyze || value != null) throw unknownOption(arg, command);
                    sessions = true;
                }
                default -> throw unknownOption(arg, command);
            }
        }
        if (format.isBlank()) {
            throw CliError.usage("--format needs a value: auto, raw or a format name");
        }
        if (files.isEmpty()) {
            throw CliError.usage(analyze ? "no file to analyze" : "no file: templates takes one FILE");
        }
        if (!analyze && files.size() > 1) {
            throw CliError.usage("templates takes one FILE, got " + files.size());
        }
        if (sessions && sessionKey == null) {
            throw CliError.usage("--sessions needs --session-key REGEX, for example --session-key 'blk_-?\\d+'");
        }
        if (sessionKey != null && !sessions) {
            throw CliError.usage("--session-key is used with --sessions");
        }
        return new Arguments(command, false, format, config, sessionKey, sessions, List.copyOf(files));
    }

    private static String valueOf(String[] args, int i, String option) throws CliError {
        if (i >= args.length) {
            throw CliError.usage(option + " needs a value");
        }
        return args[i];
    }

    private static Pattern compile(String regex) throws CliError {
        if (regex.isEmpty()) {
            throw CliError.usage("--session-key needs a regex");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            String where = e.getIndex() >= 0 ? " at index " + e.getIndex() : "";
            throw CliError.usage("invalid --session-key regex '" + regex + "': " + e.getDescription() + where);
        }
    }

    private static CliError unknownOption(String arg, String command) {
        String options = command.equals(TEMPLATES) ? "--format, --config" : "--format, --config, --sessions, --session-key";
        return CliError.usage("unknown option " + arg + " for " + command + "; options: " + options);
    }
}
