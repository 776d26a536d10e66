package io.logwarden.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers a {@link Layout} from a file's first lines, for text logs that no built-in format reads:
 * <ol>
 *   <li>the timestamp: every {@link TimestampShape} is tried at the start of each of the first fields of each
 *       line (and just inside a '['); the shape and field index found on most lines wins, ties going to the
 *       earlier field, then to the more complete shape;</li>
 *   <li>the fields after it: each line's next tokens (space- or '|'-separated; a bracket is one token) are
 *       classified as a level word, digits, a bracket, a word ending in ':', a separator or another word, and
 *       a position belongs to the header while one class holds on at least {@value #CONSISTENT_SHARE} of the
 *       lines. The header ends at a {@code component:}, and plain words are kept only when a field that cannot
 *       be a message word (a level, a bracket, a separator, a component) comes after them; after the level, at
 *       most one such word (a logger). A dotted name in brackets ({@code [o.e.n.Node]}) is a logger, and
 *       brackets may stand side by side ({@code [INFO ][o.e.n.Node]}); after a level, an unbracketed name of three
 *       dotted parts or more ends the header as a logger (Tomcat's {@code INFO [main] org.apache.catalina.startup.
 *       Catalina.start Server startup in [1234] milliseconds}).</li>
 *   <li>the fields before it: a level word or a bracket on at least {@value #CONSISTENT_SHARE} of the lines is a
 *       level or a thread (Cassandra's {@code INFO  [main] 2026-…}), anything else a plain field.</li>
 * </ol>
 * Pure; only the sampled lines are read.
 */
final class LayoutInference {

    static final double CONSISTENT_SHARE = 0.75;
    private static final int MAX_LEADING = 8;
    private static final int MAX_COLUMNS = 10;
    /** Lines whose first this many tokens after the stamp are alike (digits aside) are one kind of line. */
    private static final int KIND_TOKENS = 6;
    private static final TimestampShape[] SHAPES = TimestampShape.values();

    /** LEVELC: a level word and a colon ("ERROR:"), a level in a level's column and a component's in a component's. */
    private enum Token { LEVEL, LEVELC, BLEVEL, NUM, BRACKET, BLOGGER, DLOGGER, COMPONENT, PROGRAM, SEP, WORD }

    private LayoutInference() {
    }

    /** The layout most sampled lines follow, or null when no timestamp shape holds on any line. */
    static Layout infer(List<String> sample, TimestampParser timestamps) {
        List<String> lines = new ArrayList<>(sample.size());
        for (String line : sample) {
            if (!line.isBlank() && !ContinuationLines.isContinuation(line)) lines.add(line);
        }
        if (lines.isEmpty()) return null;
        int[][][] counts = new int[MAX_LEADING + 1][SHAPES.length][2];
        for (String line : lines) {
            int p = LayoutFormat.skipSpaces(line, 0);
            for (int field = 0; field <= MAX_LEADING && p < line.length(); field++) {
                for (TimestampShape shape : SHAPES) {
                    if (stampEnd(line, p, shape, false, timestamps) > 0) counts[field][shape.ordinal()][0]++;
                    if (line.charAt(p) == '[' && stampEnd(line, p, shape, true, timestamps) > 0) counts[field][shape.ordinal()][1]++;
                }
                p = LayoutFormat.skipSpaces(line, LayoutFormat.spaceEnd(line, p));
            }
        }
        int best = 0;
        int bestField = -1;
        TimestampShape bestShape = null;
        boolean bestBracketed = false;
        for (int field = 0; field <= MAX_LEADING; field++) {
            for (TimestampShape shape : SHAPES) {
                for (int b = 0; b < 2; b++) {
                    if (counts[field][shape.ordinal()][b] > best) {
                        best = counts[field][shape.ordinal()][b];
                        bestField = field;
                        bestShape = shape;
                        bestBracketed = b == 1;
                    }
                }
            }
        }
        if (bestShape == null) return null;

        Layout stampOnly = new Layout(bestField, bestShape, bestBracketed, false, List.of());
        LayoutFormat finder = new LayoutFormat("inferred", stampOnly, true, timestamps);
        List<String> rests = new ArrayList<>(best);
        int pipes = 0;
        int[][] leadingVotes = new int[bestField][Token.values().length];
        for (String line : lines) {
            int end = finder.headerEnd(line);
            if (end < 0) continue;
            String rest = line.substring(end);
            rests.add(rest);
            if (rest.startsWith("|")) pipes++;
            int p = LayoutFormat.skipSpaces(line, 0);
            for (int field = 0; field < bestField; field++) {
                int e = LayoutFormat.spaceEnd(line, p);
                leadingVotes[field][classify(line, p, e).ordinal()]++;
                p = LayoutFormat.skipSpaces(line, e);
            }
        }
        List<Layout.Column> leading = new ArrayList<>(bestField);
        for (int[] votes : leadingVotes) {
            // A level or a thread before the timestamp (Cassandra's "INFO  [main] 2026-…"); anything else a field.
            leading.add(Layout.Column.of(votes[Token.LEVEL.ordinal()] + votes[Token.LEVELC.ordinal()]
                    >= CONSISTENT_SHARE * rests.size() ? Layout.Kind.LEVEL
                    : votes[Token.BRACKET.ordinal()] >= CONSISTENT_SHARE * rests.size() ? Layout.Kind.THREAD : Layout.Kind.FIELD));
        }
        boolean leadingLevel = leading.contains(Layout.Column.of(Layout.Kind.LEVEL));
        boolean piped = pipes * 2 > rests.size();
        return new Layout(leading, bestShape, bestBracketed, piped, columns(rests, piped, leadingLevel));
    }

    // Index after the stamp of this shape at p (inside '[' when bracketed), or -1.
    private static int stampEnd(String line, int p, TimestampShape shape, boolean bracketed, TimestampParser timestamps) {
        int from = bracketed ? p + 1 : p;
        int end = shape.end(line, from);
        if (end < 0) return -1;
        if (bracketed ? LayoutFormat.stampBracketClose(line, end) < 0 : !TimestampShape.endsField(line, end)) return -1;
        return shape.read(timestamps, line, from, end) == null ? -1 : end;
    }

    private static List<Layout.Column> columns(List<String> rests, boolean piped, boolean leadingLevel) {
        List<List<Token>> kinds = new ArrayList<>(rests.size());
        List<List<String>> texts = new ArrayList<>(rests.size());
        int maxColumns = MAX_COLUMNS;
        for (String rest : rests) {
            List<Token> k = new ArrayList<>();
            List<String> t = new ArrayList<>();
            tokens(rest, piped, k, t);
            if (piped) maxColumns = Math.min(maxColumns, Math.max(0, k.size() - 1)); // the last field is the message
            kinds.add(k);
            texts.add(t);
        }
        // A column holds on most lines and on most kinds of lines: a flood of one message (a password guessed 272
        // times among 50 other lines) must not make its first words a header.
        double[] weights = weights(texts);
        double total = 0;
        for (double w : weights) total += w;
        List<Token> header = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        int lastCloser = -1;
        for (int col = 0; col < maxColumns; col++) {
            Map<Token, Integer> votes = new java.util.EnumMap<>(Token.class); // ties go to the first kind
            Map<Token, Double> kindVotes = new java.util.EnumMap<>(Token.class);
            Map<String, Integer> words = new HashMap<>();
            for (int i = 0; i < kinds.size(); i++) {
                if (kinds.get(i).size() > col) {
                    votes.merge(kinds.get(i).get(col), 1, Integer::sum);
                    kindVotes.merge(kinds.get(i).get(col), weights[i], Double::sum);
                    if (kinds.get(i).get(col) == Token.SEP) words.merge(texts.get(i).get(col), 1, Integer::sum);
                }
            }
            Integer levelColons = votes.remove(Token.LEVELC);
            if (levelColons != null) { // FreeRADIUS's "Error:" among its "Auth:", Go's "ERROR:" among "INFO:"
                votes.merge(Token.LEVEL, levelColons, Integer::sum);
                if (votes.containsKey(Token.COMPONENT)) votes.merge(Token.COMPONENT, levelColons, Integer::sum);
                double weighted = kindVotes.remove(Token.LEVELC);
                kindVotes.merge(Token.LEVEL, weighted, Double::sum);
                if (kindVotes.containsKey(Token.COMPONENT)) kindVotes.merge(Token.COMPONENT, weighted, Double::sum);
            }
            Token top = null;
            int topVotes = 0;
            for (Map.Entry<Token, Integer> e : votes.entrySet()) {
                if (e.getValue() > topVotes) {
                    top = e.getKey();
                    topVotes = e.getValue();
                }
            }
            if (top == null || topVotes < CONSISTENT_SHARE * rests.size()
                    || kindVotes.get(top) < CONSISTENT_SHARE * total - 1e-9) break;
            // a program with its process comes first after the stamp, or after a host ("Task send_mail[7]" is text)
            if (top == Token.PROGRAM && col > 0 && (col > 1 || header.get(0) != Token.WORD || leadingLevel)) break;
            String literal = null;
            if (top == Token.SEP) {
                literal = words.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                if (words.get(literal) < CONSISTENT_SHARE * rests.size()) break;
            }
            // A Java logger after the level (Tomcat's "INFO [main] org.apache.catalina.startup.Catalina.start") ends
            // the header, or the bracketed thread after it does (OpenStack's "INFO nova.api.wsgi.server [req-…]").
            // Without a level before it, a dotted name is a word (a host, say).
            boolean afterLogger = !header.isEmpty() && header.get(header.size() - 1) == Token.DLOGGER;
            if (afterLogger && top != Token.BRACKET) break;
            if (top == Token.DLOGGER) {
                if (leadingLevel || header.contains(Token.LEVEL) || header.contains(Token.BLEVEL)) {
                    header.add(top);
                    literals.add(null);
                    lastCloser = col;
                    continue;
                }
                top = Token.WORD;
            }
            // After the level, one plain word (a logger) may precede a closing field; more is message text. A word
            // that starts with a digit is no logger's name but the message's first value (NATS's "[ERR]
            // 127.0.0.39:43071 - cid:86 - …", the client the line is about).
            if (top == Token.WORD && (leadingLevel || header.contains(Token.LEVEL) || header.contains(Token.BLEVEL))
                    && (!header.isEmpty() && header.get(header.size() - 1) == Token.WORD || mostlyNumbered(texts, col))) {
                break;
            }
            header.add(top);
            literals.add(literal);
            if (top == Token.COMPONENT || afterLogger) {
                lastCloser = col;
                break;
            }
            // In a space-separated header a plain word counts only if a field no message word could be follows
            // it; digits after words may be the message's ("Found child 6725").
            if (top != Token.WORD && (piped || top != Token.NUM || !header.contains(Token.WORD))) {
                lastCloser = col;
            }
        }
        List<Layout.Column> columns = new ArrayList<>();
        boolean levelSeen = leadingLevel;
        int numbers = 0;
        for (int col = 0; col <= lastCloser; col++) {
            Token token = header.get(col);
            switch (token) {
                case LEVEL -> {
                    columns.add(new Layout.Column(Layout.Kind.LEVEL, false, null));
                    levelSeen = true;
                }
                case BLEVEL -> {
                    columns.add(new Layout.Column(Layout.Kind.LEVEL, true, null));
                    levelSeen = true;
                }
                case NUM -> columns.add(Layout.Column.of(!piped && header.subList(0, col).contains(Token.WORD) ? Layout.Kind.FIELD
                        : numbers++ == 0 ? Layout.Kind.PID : Layout.Kind.TID));
                case BRACKET -> columns.add(Layout.Column.of(Layout.Kind.THREAD));
                case BLOGGER -> columns.add(new Layout.Column(Layout.Kind.LOGGER, true, null));
                case DLOGGER -> columns.add(Layout.Column.of(Layout.Kind.LOGGER));
                case COMPONENT -> columns.add(Layout.Column.of(Layout.Kind.COMPONENT));
                case PROGRAM -> columns.add(Layout.Column.of(Layout.Kind.PROGRAM));
                case SEP -> columns.add(Layout.Column.separator(literals.get(col)));
                case WORD -> {
                    Layout.Kind kind;
                    if (col > 0 && header.get(col - 1) == Token.LEVEL || col > 0 && header.get(col - 1) == Token.BLEVEL
                            || col == 0 && leadingLevel) {
                        kind = Layout.Kind.LOGGER;
                    } else if (col == 0 && !levelSeen && col + 1 <= lastCloser
                            && (header.get(col + 1) == Token.LEVEL || header.get(col + 1) == Token.BLEVEL)) {
                        // the name just before the level is what logged the line (Prosody's session or module), as
                        // a logger's after it is; a syslog host is followed by its program
                        kind = Layout.Kind.LOGGER;
                    } else if (col == 0 && !levelSeen && mostlyLettered(texts, col)) {
                        kind = Layout.Kind.HOST;
                    } else {
                        kind = Layout.Kind.FIELD;
                    }
                    columns.add(Layout.Column.of(kind));
                }
            }
        }
        return columns;
    }

    /**
     * Each sampled line's vote among kinds of lines: lines that begin alike (their first {@value #KIND_TOKENS} tokens
     * after the stamp, digits aside) share the square root of their number, so many lines of one kind count for more
     * than one line, but not for all of them.
     */
    private static double[] weights(List<List<String>> texts) {
        Map<String, Integer> kinds = new HashMap<>();
        String[] keys = new String[texts.size()];
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < keys.length; i++) {
            key.setLength(0);
            List<String> t = texts.get(i);
            for (int c = 0; c < Math.min(KIND_TOKENS, t.size()); c++) {
                String token = t.get(c);
                for (int j = 0; j < token.length(); j++) {
                    char ch = token.charAt(j);
                    key.append(Character.isDigit(ch) ? '0' : ch);
                }
                key.append(' ');
            }
            keys[i] = key.toString();
            kinds.merge(keys[i], 1, Integer::sum);
        }
        double[] weights = new double[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int n = kinds.get(keys[i]);
            weights[i] = Math.sqrt(n) / n;
        }
        return weights;
    }

    // Whether most lines that have a token at this column start it with a digit: an address, a count, an id.
    private static boolean mostlyNumbered(List<List<String>> texts, int col) {
        int numbered = 0;
        int present = 0;
        for (List<String> t : texts) {
            if (t.size() <= col || t.get(col).isEmpty()) continue;
            present++;
            if (Character.isDigit(t.get(col).charAt(0))) numbered++;
        }
        return numbered * 2 > present;
    }

    // Whether most lines' token at this column has a letter: a host name, not a date such as 2005.11.09.
    private static boolean mostlyLettered(List<List<String>> texts, int col) {
        int lettered = 0;
        for (List<String> t : texts) {
            if (t.size() > col && t.get(col).chars().anyMatch(Character::isLetter)) lettered++;
        }
        return lettered >= CONSISTENT_SHARE * texts.size();
    }

    // The first tokens of the text after the timestamp, with their classes.
    private static void tokens(String rest, boolean piped, List<Token> kinds, List<String> texts) {
        int n = rest.length();
        int p = 0;
        while (kinds.size() <= MAX_COLUMNS && p < n) {
            int start;
            int end;
            if (piped) {
                if (rest.charAt(p) != '|') return;
                start = p + 1;
                end = LayoutFormat.pipeEnd(rest, start);
            } else {
                start = LayoutFormat.skipSpaces(rest, p);
                if (start >= n) return;
                end = rest.charAt(start) == '[' ? LayoutFormat.bracketEnd(rest, start) : -1;
                // a bracket ends at a space or where the next one starts ("[INFO ][o.e.n.Node ]")
                if (end < 0 || (end < n && rest.charAt(end) != ' ' && rest.charAt(end) != '\t' && rest.charAt(end) != '[')) {
                    end = LayoutFormat.spaceEnd(rest, start);
                }
            }
            kinds.add(classify(rest, start, end));
            texts.add(rest.substring(start, end));
            p = end;
        }
    }

    private static Token classify(String s, int start, int end) {
        int len = end - start;
        if (len == 0) return Token.WORD;
        char first = s.charAt(start);
        char last = s.charAt(end - 1);
        if (len <= 3 && (s.startsWith("-", start) || s.startsWith(":", start) || s.startsWith("|", start) || s.startsWith(",", start))
                && (len == 1 || s.startsWith("---", start) || s.startsWith("--", start))) {
            return Token.SEP;
        }
        if (first == '[' && last == ']') {
            if (LayoutFormat.levelOf(s, start, end, true) != null) return Token.BLEVEL;
            return LayoutFormat.dottedName(s, start + 1, end - 1) ? Token.BLOGGER : Token.BRACKET;
        }
        if (LayoutFormat.digits(s, start, end)) return Token.NUM;
        if (LayoutFormat.levelOf(s, start, end, false) != null
                && (len > 1 || Character.isUpperCase(first) || LayoutFormat.levelMark(first) != null)) {
            return last == ':' ? Token.LEVELC : Token.LEVEL;
        }
        if (last == ':' && len > 1 && !LayoutFormat.digits(s, start, end - 1)) return Token.COMPONENT;
        if (LayoutFormat.programEnd(s, start, end) == end) return Token.PROGRAM; // Unbound's "unbound[23230:0]"
        if (LayoutFormat.dottedName(s, start, end)) {
            int second = s.indexOf('.', s.indexOf('.', start) + 1);
            if (second > 0 && second < end) return Token.DLOGGER; // two dots at least: org.apache.catalina.Foo, not "e.g"
        }
        return Token.WORD;
    }
}
