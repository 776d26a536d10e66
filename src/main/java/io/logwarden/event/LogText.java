package io.logwarden.event;

import java.util.regex.Pattern;

/** Text from outside (file names, record keys) made safe for one log line: control characters escaped, long text cut. */
public final class LogText {

    private static final int MAX = 300;

    private LogText() {
    }

    private static final Pattern URL_USER_INFO =
            Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@]+):[^/\\s@]+@");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;][\\w.-]*(?:key|token|secret|passw|pwd|auth|signature|sig|credential|session)[\\w.-]*=)[^&#\\s\"']+");

    /**
     * A text (an error message, a reason) with the secrets of the URLs in it masked: the password of a
     * {@code user:password@} part, and the values of query parameters named like secrets ({@code api_key},
     * {@code access_token}, {@code client_secret}, {@code X-Amz-Signature}, {@code password}...) become {@code ***}.
     * Job errors, logs and the dashboard show source URLs; a key given in a URL must not end up there.
     */
    public static String maskSecrets(String text) {
        if (text == null || text.indexOf('=') < 0 && text.indexOf('@') < 0) {
            return text;
        }
        String masked = URL_USER_INFO.matcher(text).replaceAll("$1:***@");
        return SECRET_PARAMETER.matcher(masked).replaceAll("$1***");
    }

    /** {@code \n}, {@code \r}, {@code \t}, other control and format characters as {@code \\uXXXX}; a backslash doubled. */
    public static String escape(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 8);
        for (int i = 0; i < text.length() && sb.length() < MAX; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    int type = Character.getType(c);
                    if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (sb.length() >= MAX) {
            sb.append("…(").append(text.length()).append(" chars)");
        }
        return sb.toString();
    }
}
