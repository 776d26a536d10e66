package io.logwarden.cli;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * {@code run-source NAME}: runs a source once, now, in the running service, through its REST API. Sources read
 * with the service's database, watermarks and detection state, so the command line asks the service rather than
 * running them itself.
 */
record RunSourceCommand(String url, String user, Path passwordFile, String source) {

    static RunSourceCommand parse(String[] args) throws CliError {
        String url = System.getenv().getOrDefault("LOGWARDEN_URL", "http://localhost:8080");
        String user = System.getenv().getOrDefault("LOGWARDEN_SECURITY_ADMIN_USER", "admin");
        Path passwordFile = Path.of("data/admin-password");
        String source = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = value(args, ++i, "--url");
                case "--user" -> user = value(args, ++i, "--user");
                case "--password-file" -> passwordFile = Path.of(value(args, ++i, "--password-file"));
                default -> {
                    if (args[i].startsWith("-") || source != null) {
                        throw CliError.usage("run-source: unexpected argument " + args[i]);
                    }
                    source = args[i];
                }
            }
        }
        if (source == null) {
            throw CliError.usage("run-source: name the source to run");
        }
        return new RunSourceCommand(url.replaceAll("/+$", ""), user, passwordFile, source);
    }

    private static String value(String[] args, int i, String option) throws CliError {
        if (i >= args.length) throw CliError.usage(option + " needs a value");
        return args[i];
    }

    int run(PrintStream out, PrintStream err) throws CliError {
        HttpResponse<String> response = ServiceCall.send(url, user, passwordFile, "POST",
                "/api/v1/sources/" + source + "/run", null, null);
        if (response.statusCode() != 200) {
            throw CliError.input("the service answered HTTP " + response.statusCode() + ": " + response.body());
        }
        out.println(response.body());
        boolean failed = response.body().contains("\"status\":\"failed\"");
        if (failed) {
            err.println("logwarden: source " + source + ": its job failed");
        }
        return failed ? CliError.INPUT : 0;
    }
}
