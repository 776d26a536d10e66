package io.logwarden.cli;

import io.logwarden.detect.OfflineDetection;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.ingest.FormatRegistry;
import io.logwarden.ingest.IngestSettings;
import java.io.PrintStream;
import java.time.Clock;

/**
 * The command line: template mining and anomaly detection over files, with no server, no database and no Spring
 * context, so it starts in about a second. {@code LogwardenApplication.main} hands over to {@link #main} when the first
 * argument is a command ({@code templates}, {@code analyze}, {@code help}); anything else starts the service.
 *
 * <p>Output is JSON lines on stdout; diagnostics go to stderr as {@code logwarden: ...} lines. Exit codes: 0 done,
 * 1 an input could not be read, 2 the command line is wrong. User errors never print a stack trace.
 */
public final class LogwardenCli {

    private LogwardenCli() {
    }

    /** True when the arguments name a command-line command rather than service options. */
    public static boolean isCommand(String[] args) {
        return Arguments.isCommand(args);
    }

    /** Runs a command in this process and exits with its code. */
    public static void main(String[] args) {
        // Libraries that log (Hibernate Validator, Smile) would otherwise meet logback's default: DEBUG on stdout,
        // mixed into the JSON lines. The command line logs warnings to stderr only, configured in code (CliLogging).
        // SLF4J's provider is named, so it need not search the class path (two hundred jars) for one either.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", System.getProperty("logback.configurationFile") == null
                    ? CliLogging.class.getName() : "ch.qos.logback.classic.spi.LogbackServiceProvider");
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN"); // not "attempting to load provider ..."
            }
        }
        // hawtio-system brings commons-logging.jar, whose discovery would find spring-jcl and print a notice about it;
        // naming the factory skips the discovery and sends commons-logging to SLF4J (no effect without that jar).
        if (System.getProperty("org.apache.commons.logging.LogFactory") == null) {
            System.setProperty("org.apache.commons.logging.LogFactory", "org.apache.commons.logging.impl.Slf4jLogFactory");
        }
        // stdout is for the JSON lines alone: whatever else prints to System.out (spring-jcl's notice about
        // commons-logging.jar on the class path does) goes to stderr instead.
        PrintStream out = System.out;
        System.setOut(System.err);
        System.exit(run(args, out, System.err));
    }

    /**
     * Loads and starts the JSON library (the output's writer and the formats' reader) on another core while this one
     * sets the command up and opens the file: it takes about a quarter of a second of a fresh JVM's start-up.
     */
    private static void loadJsonAside() {
        Thread loader = new Thread(() -> {
            try {
                JsonLines.warmUp();
                Class.forName(FormatRegistry.class.getName());
            } catch (ReflectiveOperationException | RuntimeException e) {
                // only a head start: the command loads what it needs itself
            }
        }, "logwarden-load-json");
        loader.setDaemon(true);
        loader.start();
    }

    /** Runs a command; returns the exit code. {@code out} gets the JSON lines (flushed at the end), {@code err} the rest. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length > 0 && args[0].equals(Arguments.RUN_SOURCE)) {
                return RunSourceCommand.parse(args).run(out, err);
            }
            if (args.length > 0 && args[0].equals(Arguments.FEEDBACK)) {
                return FeedbackCommand.parse(args).run(out, err);
            }
            Arguments arguments = Arguments.parse(args);
            if (arguments.help()) {
                out.print(usage());
                out.flush();
                return 0;
            }
            Clock clock = Clock.systemUTC();
            if (arguments.command().equals(Arguments.TEMPLATES) && arguments.config() == null) {
                // Built-in defaults, with the miner's own (TemplatesCommandTest checks they are the service's), and
                // for --format raw no reader of formats at all: raw lines are read by a thread of their own.
                boolean raw = arguments.format().equals(Arguments.RAW);
                LogInput input = raw ? null : new LogInput(IngestSettings.defaults(), arguments.format(), clock);
                LogInput.checkExist(arguments.files());
                TemplatesCommand templates = new TemplatesCommand(TemplateMiner.builder(), out, err);
                if (raw) {
                    templates.runRaw(arguments.files().get(0), IngestSettings.DEFAULT_MAX_LINE_BYTES);
                } else {
                    templates.run(arguments.files().get(0), input);
                }
                return 0;
            }
            if (arguments.command().equals(Arguments.ANALYZE)) {
                loadJsonAside();
            }
            Settings settings = arguments.config() == null ? Settings.defaults() : Settings.load(arguments.config());
            LogInput input = new LogInput(settings, arguments.format(), clock);
            LogInput.checkExist(arguments.files());
            if (arguments.command().equals(Arguments.TEMPLATES)) {
                new TemplatesCommand(OfflineDetection.minerConfig(settings.detect()), out, err)
                        .run(arguments.files().get(0), input);
                return 0;
            }
            // created here, not above: the JSON library's start-up is not needed by the templates command
            JsonLines json = new JsonLines(out);
            try {
                AnalyzeCommand analyze = new AnalyzeCommand(settings, input, json, err, clock.instant());
                return arguments.sessions() ? analyze.sessions(arguments.files(), arguments.sessionKey())
                        : analyze.windows(arguments.files());
            } finally {
                json.flush();
            }
        } catch (CliError e) {
            err.println("logwarden: " + e.getMessage());
            if (e.exitCode() == CliError.USAGE) {
                err.println("Run 'java -jar logwarden.jar help' for usage.");
            }
            return e.exitCode();
        }
    }

    /** The usage text, with the format names the built-in registry knows. */
    static String usage() {
        String formats = String.join(", ", new FormatRegistry(IngestSettings.defaults(), Clock.systemUTC()).names());
        return """
                Usage: java -jar logwarden.jar COMMAND [OPTIONS] FILE...
                
                Commands (no server, no database; output is one JSON object per line on stdout):
                  templates [--format F] [--config YML] FILE
                      Mines log templates with the service's settings and prints, per event, in input order:
                        {"line":N,"templateId":"T3","template":"order <*> accepted in <*> ms"}
                      With --format raw each non-blank line is one message and N is its line number. Otherwise
                      multi-line events (stack traces) are folded into one event and N is its first line.
                      "template" is the pattern as of that line: later lines may generalise it; the id stays.
                  analyze [--format F] [--config YML] FILE...
                      Detects anomalies as the service does: one job per file, in the order given, a source per
                      file name (app.log.1 and app.log are both source app.log). Prints each anomaly, highest score
                      first per file, with the JSON report's field names (detector, score, severity, title, ...).
                  analyze --sessions --session-key REGEX [--format F] [--config YML] FILE...
                      Groups events by the session keys their messages name (every match of REGEX) and judges each
                      session; prints, first seen first:
                        {"session":"blk_-42","anomalous":true,"score":95.0,"reasons":["..."]}
                  run-source [--url URL] [--user U] [--password-file FILE] NAME
                      Asks the running service to run the database or REST source NAME once, now
                      (POST URL/api/sources/NAME/run), waits for the job and prints it as one JSON line. URL defaults
                      to $LOGWARDEN_URL or http://localhost:8080; the password is $LOGWARDEN_SECURITY_ADMIN_PASSWORD,
                      else the service's generated one in data/admin-password. Exit status 1 when the job failed.
                  feedback ID [--status S] [--note TEXT] [--suppress [--for P7D] [--influencer FIELD=VALUE]]
                           [--expected] [--url URL] [--user U] [--password-file FILE]
                      Tells the running service about anomaly ID (POST URL/api/v1/anomalies/ID/status): its status
                      (open, acknowledged, false_positive), and with --suppress a suppression rule for the same
                      source, detector and template (for --for, e.g. P7D or 12h, else for good; only events with
                      FIELD=VALUE with --influencer): matching anomalies are stored as suppressed and not alerted.
                      --expected folds the events into the baseline instead. Both imply false_positive.
                  feedback rules | feedback delete-rule ID
                      Lists the suppression rules (who, when, why) or deletes one. URL and password as run-source.
                  help
                      Prints this text (also -h, --help).
                
                Options:
                  --format F         auto (the default: detected from the first lines, as the service does, or
                                     a header layout inferred from them, printed to stderr) or one of: %s
                                     (raw: each line one message, no timestamp), or a user format of --config
                  --config YML       an application.yml whose logwarden.* settings apply (user formats, masks,
                                     thresholds); without it the built-in defaults apply
                  --session-key RE   a Java regex that names a session in a message, e.g. 'blk_-?\\d+'
                  --sessions         judge sessions instead of time windows (needs --session-key)
                
                Invalid events (lines the format does not parse, no timestamp, ...) are skipped as the service
                quarantines them; their count and first reasons go to stderr. Windows need timestamps, so
                analyze --format raw finds nothing unless --sessions is given.
                
                Exit status: 0 done (whether or not anomalies were found), 1 an input could not be read (missing
                file, empty or binary file, bad --config), 2 a usage error (unknown command,
                option or format, invalid regex, no file).
                """.formatted(formats);
    }
}
