package io.logwarden.event;

/** Text from outside (file names, record keys) made safe for one log line: control characters escaped, long text cut. */
public final class LogText {

    private static final int MAX = 300;

    private LogText() {
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
