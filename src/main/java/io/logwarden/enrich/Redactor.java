package io.logwarden.enrich;

import io.logwarden.config.LlmProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets and personal data from text before it is sent to an LLM. Each match becomes
 * {@code [REDACTED:kind]}, so the model still sees that something was there. Thread-safe (immutable).
 */
public final class Redactor {

    /** Built-in patterns, applied in this order (URL credentials before e-mails: {@code user:pw@host} looks like one). */
    private static final Map<String, String> BUILT_IN = new LinkedHashMap<>();

    static {
        // scheme://user:password@host → the password goes, the user and host stay
        BUILT_IN.put("url-password", "(?<=://[^/\\s:@]{1,64}:)[^@\\s/]+(?=@)");
        BUILT_IN.put("bearer", "(?i)(?<=\\bbearer\\s)[A-Za-z0-9._~+/=-]{8,}");
        BUILT_IN.put("jwt", "\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}");
        BUILT_IN.put("api-key", "\\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|\\bAKIA[0-9A-Z]{16}\\b|\\bgh[pousr]_[A-Za-z0-9]{30,}\\b"
                + "|\\bxox[abpr]-[A-Za-z0-9-]{10,}");
        // key=value and key: value for names that hold secrets
        BUILT_IN.put("secret", "(?i)(?<=\\b(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
                + "|client[_-]?secret|auth|authorization|session[_-]?id|cookie)[\"']?\\s{0,3}[=:]\\s{0,3}[\"']?)"
                + "(?!\\[REDACTED)[^\\s\"'&,;]+");
        BUILT_IN.put("email", "\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}\\b");
    }

    private static final String IPV4 = "\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b";
    private static final String IPV6 = "\\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{1,4}\\b";

    private record Rule(String kind, Pattern pattern) {
    }

    private final List<Rule> rules = new ArrayList<>();

    public Redactor(LlmProperties.Redaction settings) {
        BUILT_IN.forEach((kind, regex) -> rules.add(new Rule(kind, Pattern.compile(regex))));
        settings.patterns().forEach((kind, regex) -> rules.add(new Rule(kind, Pattern.compile(regex))));
        if (settings.ips()) {
            rules.add(new Rule("ip", Pattern.compile(IPV4 + "|" + IPV6)));
        }
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule rule : rules) {
            Matcher m = rule.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(Matcher.quoteReplacement("[REDACTED:" + rule.kind() + "]"));
            }
        }
        return out;
    }
}
