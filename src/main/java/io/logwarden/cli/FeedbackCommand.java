package io.logwarden.cli;

import io.logwarden.event.Durations;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code feedback}: an operator's feedback to the running service, through its REST API.
 * <ul>
 *   <li>{@code feedback ID [--status S] [--note TEXT] [--suppress [--for P7D] [--influencer field=value]] [--expected]}:
 *       sets anomaly ID's status ({@code POST /api/v1/anomalies/ID/status}); {@code --suppress} also makes a
 *       suppression rule (the same source, detector and template are stored as suppressed and not alerted),
 *       {@code --expected} folds its events into the baseline. Both imply status {@code false_positive}.</li>
 *   <li>{@code feedback rules}: lists the suppression rules ({@code GET /api/v1/suppressions}).</li>
 *   <li>{@code feedback delete-rule ID}: deletes one ({@code DELETE /api/v1/suppressions/ID}).</li>
 * </ul>
 */
record FeedbackCommand(String url, String user, Path passwordFile, String method, String path, String body) {

    static final String NAME = "feedback";

    static FeedbackCommand parse(String[] args) throws CliError {
        String url = System.getenv().getOrDefault("LOGWARDEN_URL", "http://localhost:8080");
        String user = System.getenv().getOrDefault("LOGWARDEN_SECURITY_ADMIN_USER", "admin");
        Path passwordFile = Path.of("data/admin-password");
        String target = null;
        String ruleId = null;
        String status = null;
        String note = null;
        String feedback = null;
        String lasting = null;
        String influencer = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--url" -> url = value != null ? value : value(args, ++i, name);
                case "--user" -> user = value != null ? value : value(args, ++i, name);
                case "--password-file" -> passwordFile = Path.of(value != null ? value : value(args, ++i, name));
                case "--status" -> status = value != null ? value : value(args, ++i, name);
                case "--note" -> note = value != null ? value : value(args, ++i, name);
                case "--for" -> lasting = value != null ? value : value(args, ++i, name);
                case "--influencer" -> influencer = value != null ? value : value(args, ++i, name);
                case "--suppress", "--expected" -> {
                    if (feedback != null) {
                        throw CliError.usage("feedback: give --suppress or --expected, not both");
                    }
                    feedback = name.substring(2);
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw CliError.usage("feedback: unknown option " + arg);
                    }
                    if (target == null) {
                        target = arg;
                    } else if (target.equals("delete-rule") && ruleId == null) {
                        ruleId = arg;
                    } else {
                        throw CliError.usage("feedback: unexpected argument " + arg);
                    }
                }
            }
        }
        url = url.replaceAll("/+$", "");
        if (target == null) {
            throw CliError.usage("feedback: name the anomaly (feedback ID --suppress ...), or use 'feedback rules'"
                    + " or 'feedback delete-rule ID'");
        }
        if (target.equals("rules")) {
            return new FeedbackCommand(url, user, passwordFile, "GET", "/api/v1/suppressions", null);
        }
        if (target.equals("delete-rule")) {
            if (ruleId == null || !ruleId.matches("\\d+")) {
                throw CliError.usage("feedback delete-rule: give the rule's id (see 'feedback rules')");
            }
            return new FeedbackCommand(url, user, passwordFile, "DELETE", "/api/v1/suppressions/" + ruleId, null);
        }
        if (!target.matches("\\d+")) {
            throw CliError.usage("feedback: '" + target + "' is not an anomaly id");
        }
        if (feedback == null && (lasting != null || influencer != null)) {
            throw CliError.usage("feedback: --for and --influencer go with --suppress or --expected");
        }
        if (influencer != null && !influencer.matches("[^=]+=.+")) {
            throw CliError.usage("feedback: --influencer must be field=value, e.g. client=10.0.0.7");
        }
        if (status == null) {
            status = feedback != null ? "false_positive" : null;
        }
        if (status == null) {
            throw CliError.usage("feedback: give --status (open, acknowledged, false_positive), --suppress or --expected");
        }
        if (lasting != null) {
            lasting = isoDuration(lasting);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("note", note);
        body.put("feedback", feedback == null ? "none" : feedback);
        body.put("for", lasting);
        body.put("influencer", influencer);
        return new FeedbackCommand(url, user, passwordFile, "POST", "/api/v1/anomalies/" + target + "/status",
                json(body));
    }

    /** Checked here ({@link Durations}, as the service reads it), sent as ISO-8601. */
    static String isoDuration(String text) throws CliError {
        try {
            java.time.Duration d = Durations.parse(text);
            if (d == null) {
                return null;
            }
            return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
        } catch (IllegalArgumentException e) {
            throw CliError.usage("feedback: --for: " + e.getMessage());
        }
    }

    private static String value(String[] args, int i, String option) throws CliError {
        if (i >= args.length) {
            throw CliError.usage(option + " needs a value");
        }
        return args[i];
    }

    private static String json(Map<String, Object> values) throws CliError {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CliError.usage("feedback: " + e.getOriginalMessage());
        }
    }

    int run(PrintStream out, PrintStream err) throws CliError {
        HttpResponse<String> response = ServiceCall.send(url, user, passwordFile, method, path, body,
                Duration.ofSeconds(30));
        if (response.statusCode() / 100 != 2) {
            throw CliError.input(method + " " + path + ": the service answered HTTP " + response.statusCode()
                    + (response.body().isBlank() ? "" : ": " + response.body().strip()));
        }
        if (!response.body().isBlank()) {
            out.println(response.body().strip());
        } else {
            out.println("{\"done\":true}");
        }
        return 0;
    }
}
