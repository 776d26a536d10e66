package io.logwarden.detect;

import io.logwarden.event.AsciiClasses;
import io.logwarden.event.HttpMethods;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a message into whitespace tokens and masks parameter tokens, without regular expressions
 * and without allocating per token: tokens are kept as offsets into the message and only
 * materialised as strings when the miner needs them (a message shape it has not seen before).
 *
 * <p>Built-in masking rule, chosen because it is cheap and measured to group well on the Loghub
 * benchmarks: a token that contains a digit is a parameter. That one rule covers numbers, IPv4/IPv6
 * addresses with ports, hex ids, UUIDs, dates and times, durations ({@code 12ms}), versions,
 * block ids ({@code blk_-123}), and paths or URLs with numbers in them. The mask keeps the
 * structure around the value so patterns stay readable:
 * <ul>
 *   <li>opening brackets/quotes before it: {@code (uid=0)} becomes {@code (uid=<*>)};</li>
 *   <li>a {@code key=} prefix whose key has no digit: {@code size=123} becomes {@code size=<*>};</li>
 *   <li>closing brackets, quotes and separators after it: {@code [10.0.0.1]} becomes {@code [<*>]},
 *       {@code 10.0.0.1:} becomes {@code <*>:}.</li>
 * </ul>
 * Two kinds of tokens without digits are values too, because they name things rather than say what happened:
 * a file path or URL ({@code /etc/xinetd.d/echo}), except the endpoint of an HTTP request line
 * ({@code GET /admin/login HTTP/1.1}), and a qualified name of four parts or more
 * ({@code org.apache.hadoop.mapreduce.EventType}). A value right after a value is one parameter, so a list of
 * hosts or a date written over several tokens is one {@code <*>} whatever its length. Other tokens without
 * digits are left to the miner's similarity test, because masking words (for example every {@code key=value})
 * merges templates that differ only in a constant value.
 *
 * <p>User masks are regular expressions applied to the whole message before tokenising; that is
 * the only place regular expressions run, and only when masks are configured.
 *
 * <p>Not thread-safe: buffers are reused between calls.
 */
final class Masker {

    static final String WILDCARD = "<*>";

    private final List<UserMask> userMasks;

    /** The (normalised) message the offsets refer to, chars [0, length) of it. */
    private char[] chars = new char[256];
    /** Number of tokens. */
    int size;
    /** Token i spans [start[i], end[i]) of text. */
    int[] start = new int[64];
    int[] end = new int[64];
    /** For a masked token, the value spans [maskStart[i], maskEnd[i]); -1 when not masked. */
    int[] maskStart = new int[64];
    int[] maskEnd = new int[64];
    /**
     * For a path token, its masked text (literal segments kept) spans [pathFrom[i], pathTo[i]) of
     * {@link #paths} (of {@link #loadedPaths} for a message taken over by {@link #load}); pathFrom[i] is -1 for other
     * tokens. One buffer per message, reused: no allocation.
     */
    int[] pathFrom = new int[64];
    int[] pathTo = new int[64];
    private char[] paths = new char[256];
    /** The characters of {@link #paths} in use. */
    private int pathsLength;
    /**
     * The masked paths of a message taken over by {@link #load} (read where they are, not copied into {@link #paths}),
     * or null: then {@link #paths} holds them.
     */
    private String loadedPaths;
    /** 64-bit hash of the masked token sequence: the key of the miner's signature cache. */
    long hash;
    /** The text {@link #chars} holds (the message, folded or masked) when prepared from a String; else null. */
    private String text;
    /** After {@link #load}: the offsets refer to {@link #text}, and {@link #chars} holds an earlier message. */
    private boolean fromText;

    /** Ints per token in {@link #exportSpans}: start, end, mask start, mask end, path from, path to. */
    static final int SPAN = 6;

    record UserMask(String name, Pattern pattern, String replacement) {
    }

    Masker(List<UserMask> userMasks) {
        this.userMasks = userMasks;
    }

    /** Tokenises and masks one message; results are in the public-to-package fields. */
    void prepare(String message) {
        String t = message.indexOf('\n') >= 0 ? foldMultiLine(message) : message;
        for (UserMask m : userMasks) {
            Matcher matcher = m.pattern.matcher(t);
            if (matcher.find()) {
                t = matcher.replaceAll(m.replacement);
            }
        }
        int len = t.length();
        ensure(len);
        // one bulk copy, then plain array scans: cheaper than charAt with its checks on every character
        t.getChars(0, len, chars, 0);
        text = t;
        fromText = false;
        tokenize(len);
    }

    /** The text the token offsets refer to, after {@link #prepare(String)}. */
    String text() {
        return text;
    }

    /** The masked path tokens' text, or null when the message has none. */
    String pathsText() {
        if (loadedPaths != null) return loadedPaths;
        return pathsLength == 0 ? null : new String(paths, 0, pathsLength);
    }

    /** Copies the token spans ({@link #SPAN} ints a token) into {@code into} from {@code at}; returns where they end. */
    int exportSpans(int[] into, int at) {
        for (int i = 0; i < size; i++) {
            into[at++] = start[i];
            into[at++] = end[i];
            into[at++] = maskStart[i];
            into[at++] = maskEnd[i];
            into[at++] = pathFrom[i];
            into[at++] = pathTo[i];
        }
        return at;
    }

    /**
     * Takes over a message prepared by another masker with the same masks (its {@link #text()}, token count, hash,
     * {@link #exportSpans spans} and {@link #pathsText()}), as if this one had prepared it.
     */
    void load(String text, int tokens, long hash, int[] spans, int at, String pathsText) {
        // the text is compared in place, not copied: most messages only need their tokens checked against a template
        this.text = text;
        this.fromText = true;
        while (start.length < tokens) {
            grow();
        }
        for (int i = 0; i < tokens; i++) {
            start[i] = spans[at++];
            end[i] = spans[at++];
            maskStart[i] = spans[at++];
            maskEnd[i] = spans[at++];
            pathFrom[i] = spans[at++];
            pathTo[i] = spans[at++];
        }
        size = tokens;
        this.hash = hash;
        pathsLength = 0;
        loadedPaths = pathsText;
    }

    /**
     * {@link #prepare(String)} for a line of ASCII bytes (no {@code '\n'}), without making a String of it: the
     * command line prepares millions of lines this way. With user masks it goes through a String after all.
     */
    void prepareAscii(byte[] bytes, int from, int to) {
        if (!userMasks.isEmpty()) {
            prepare(new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
            return;
        }
        int len = to - from;
        ensure(len);
        text = null;
        fromText = false;
        char[] c = chars;
        for (int i = 0; i < len; i++) {
            c[i] = (char) (bytes[from + i] & 0xFF); // Latin-1, which is ASCII for the lines this is meant for
        }
        tokenize(len);
    }

    private void ensure(int len) {
        if (chars.length < len) {
            chars = new char[Math.max(len, chars.length * 2)];
        }
    }

    private void tokenize(int len) {
        pathsLength = 0;
        loadedPaths = null;
        char[] t = chars;
        int n = 0;
        long h = 0xcbf29ce484222325L;
        int i = 0;
        boolean previousWholeValue = false;
        int at;
        while (true) {
            while (i < len && t[i] <= ' ') {
                i++;
            }
            if (i >= len) {
                break;
            }
            int s = i;
            int firstDigit = -1;
            int dots = 0;
            while (i < len) {
                char c = t[i];
                if (c <= '9') { // letters, most of a message, take one comparison
                    if (c <= ' ') {
                        break;
                    }
                    if (c >= '0') {
                        if (firstDigit < 0) {
                            firstDigit = i;
                        }
                    } else if (c == '.') {
                        dots++;
                    }
                }
                i++;
            }
            boolean digit = firstDigit >= 0;
            if (n == start.length) {
                grow();
            }
            start[n] = s;
            end[n] = i;
            pathFrom[n] = -1;
            boolean pathShaped = isPath(t, s, i);
            if (pathShaped && (digit || hasQuery(t, s, i))) {
                pathFrom[n] = pathsLength;
                maskPath(t, s, i);
                pathTo[n] = pathsLength;
                maskStart[n] = -1;
            } else if ((pathShaped && !(n == 1 && isHttpMethod(t, start[0], end[0])))
                    || (!digit && dots >= QUALIFIED_NAME_DOTS && isQualifiedName(t, s, i))) {
                maskName(t, s, i, n);
            } else if (endsAngled(t, s, i) && (at = angledValue(t, s, i)) >= 0) {
                maskStart[n] = at; // key=<value>: a value its writer marked as one, digits or not
                maskEnd[n] = angledEnd(t, at, i);
            } else if (digit && !isConstantName(t, s, i)) {
                maskDigitToken(t, s, i, n, firstDigit);
            } else if (dots > 1 && t[s] == '<' && isAbsoluteName(t, s + 1, i)) {
                maskStart[n] = s + 1; // Unbound's "<build.dev.shop.example. A IN>": a name, masked as one with digits is
                maskEnd[n] = i;
            } else if (dots > 0 && (at = mailAt(t, s, i)) >= 0) {
                maskDigitToken(t, s, i, n, at); // an e-mail address, masked as a number is (key= and brackets kept)
                if (t[maskStart[n]] == '<' && maskEnd[n] < i && t[maskEnd[n]] == '>') maskStart[n]++; // <a@b.example>
            } else if (i - s == 3 && t[s] == '<' && t[s + 1] == '*' && t[s + 2] == '>') {
                // already a parameter (for example the output of a user mask)
                maskStart[n] = s;
                maskEnd[n] = i;
            } else {
                maskStart[n] = -1;
            }
            int ms = maskStart[n];
            boolean wholeValue = ms == s && maskEnd[n] == i && pathFrom[n] < 0;
            if (wholeValue && previousWholeValue) {
                // a value right after a value is one parameter, however many tokens it takes (a list of hosts,
                // a date and a time): messages of one event with lists of different lengths keep one template
                end[n - 1] = i;
                maskEnd[n - 1] = i;
                continue;
            }
            previousWholeValue = wholeValue;
            // hash the masked form: prefix, a marker for the value, suffix
            if (pathFrom[n] >= 0) {
                h = mix(h, paths, pathFrom[n], pathTo[n]);
            } else if (ms < 0) {
                h = mix(h, t, s, i);
            } else {
                h = mix(h, t, s, ms);
                h = (h ^ 0x1_0000) * FNV;
                h = mix(h, t, maskEnd[n], i);
            }
            h = (h ^ 0x2_0000) * FNV; // token separator
            n++;
        }
        size = n;
        hash = h ^ ((long) n << 48);
    }

    private static final long FNV = 0x100000001b3L;

    /**
     * Hashes {@code t[from, to)} into {@code h}, FNV-1a style, two characters a step: each step waits for the
     * multiplication before it, so halving the steps halves most of the hashing time.
     */
    private static long mix(long h, char[] t, int from, int to) {
        int k = from;
        for (; k + 1 < to; k += 2) {
            h = (h ^ (t[k] | ((long) t[k + 1] << 16))) * FNV;
        }
        if (k < to) {
            h = (h ^ t[k]) * FNV;
        }
        return h;
    }

    /**
     * The '@' of an e-mail address in {@code t[s, e)} ({@code <rosa.haas@parcel.example>}, {@code to=<a@b.example>,}):
     * a word character before it and a dot between letters after it; else -1. PostgreSQL's {@code app@shop} (no dot)
     * is not one.
     */
    private static int mailAt(char[] t, int s, int e) {
        int at = -1;
        for (int k = s; k < e; k++) {
            if (t[k] == '@') {
                if (at >= 0) return -1;
                at = k;
            }
        }
        if (at <= s || !Character.isLetterOrDigit(t[at - 1])) return -1;
        for (int k = at + 2; k < e - 1; k++) {
            if (t[k] == '.' && Character.isLetterOrDigit(t[k - 1]) && Character.isLetter(t[k + 1])) return at;
        }
        return -1;
    }

    /**
     * Where the value of a {@code key=<value>} token starts (after the {@code <}), else -1: Dovecot's
     * {@code user=<anna.berg>,} and {@code session=<IvjSjaZh7YF/AAAV>}, Postfix's {@code from=<>} (empty: kept, it
     * says there was no sender). The key is a plain word; after the {@code >} only closing brackets and separators.
     */
    private static int angledValue(char[] t, int s, int e) {
        int k = s;
        while (k < e && isKeyChar(t[k])) {
            k++;
        }
        if (k == s || k + 2 >= e || t[k] != '=' || t[k + 1] != '<') return -1;
        int close = angledEnd(t, k + 2, e);
        if (close <= k + 2) return -1;
        for (int c = close + 1; c < e; c++) {
            if (!isClosing(t[c])) return -1;
        }
        return k + 2;
    }

    /** Whether {@code t[s, e)} ends in {@code >} before at most two closing characters: the cheap test first. */
    private static boolean endsAngled(char[] t, int s, int e) {
        for (int k = e - 1; k >= s && k >= e - 3; k--) {
            if (t[k] == '>') return true;
            if (!isClosing(t[k])) return false;
        }
        return false;
    }

    /** The index of the first {@code >} from {@code from} in {@code t[from, e)}, or -1. */
    private static int angledEnd(char[] t, int from, int e) {
        for (int c = from; c < e; c++) {
            if (t[c] == '>') return c;
        }
        return -1;
    }

    /**
     * Whether {@code t[s, e)} is an absolute domain name, as DNS servers write a query's name ({@code build.dev.shop.example.}):
     * two labels or more of letters, digits, {@code -} and {@code _}, each followed by its dot.
     */
    private static boolean isAbsoluteName(char[] t, int s, int e) {
        if (e - s < 4 || t[e - 1] != '.') return false;
        int labels = 0;
        boolean labelStarted = false;
        for (int k = s; k < e; k++) {
            char c = t[k];
            if (c == '.') {
                if (!labelStarted) return false;
                labels++;
                labelStarted = false;
            } else if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                labelStarted = true;
            } else {
                return false;
            }
        }
        return labels >= 2;
    }

    /** Dots in a qualified name such as {@code org.apache.hadoop.mapreduce.EventType}: three at least. */
    static final int QUALIFIED_NAME_DOTS = 3;

    /** Letters, digits, {@code _} and {@code $} in at least four non-empty dot-separated parts. */
    private static boolean isQualifiedName(char[] t, int s, int e) {
        boolean partStarted = false;
        for (int k = s; k < e; k++) {
            char c = t[k];
            if (c == '.') {
                if (!partStarted) {
                    return false;
                }
                partStarted = false;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                partStarted = true;
            } else {
                return false;
            }
        }
        return partStarted;
    }

    /** Masks a file path or a qualified name whole, keeping brackets and quotes around it. */
    private void maskName(char[] t, int s, int e, int n) {
        int ms = s;
        while (ms < e && isOpening(t[ms])) {
            ms++;
        }
        int me = e;
        while (me > ms && isClosing(t[me - 1])) {
            me--;
        }
        maskStart[n] = ms;
        maskEnd[n] = me;
    }

    /** {@link HttpMethods#ALL} as characters, for tokens that are spans of a message: a request line's path names an endpoint. */
    private static final char[][] HTTP_METHOD_CHARS = HttpMethods.ALL.stream().map(String::toCharArray).toArray(char[][]::new);

    static boolean isHttpMethod(String token) {
        return HttpMethods.is(token);
    }

    /** {@link #isHttpMethod(String)} of {@code t[s, e)}, without making a String of it (once per request line). */
    private static boolean isHttpMethod(char[] t, int s, int e) {
        if (e - s < 3 || e - s > 7 || t[s] < 'A' || t[s] > 'Z') return false;
        for (char[] method : HTTP_METHOD_CHARS) {
            if (Arrays.equals(method, 0, method.length, t, s, e)) return true;
        }
        return false;
    }

    /** Sets the masked span of a token that contains a digit: keep brackets and a key= prefix. */
    private void maskDigitToken(char[] t, int s, int e, int n, int firstDigit) {
        int ms = s;
        while (ms < e && isOpening(t[ms])) {
            ms++;
        }
        // key=value: keep "key=" when the key is a plain word
        int k = ms;
        while (k < e && isKeyChar(t[k])) {
            k++;
        }
        if (k > ms && k < e - 1 && t[k] == '=') {
            ms = k + 1;
        }
        int me = e;
        while (me > ms && isClosing(t[me - 1])) {
            me--;
        }
        if (me == ms || (firstDigit < ms || firstDigit >= me) && !hasDigit(t, ms, me)) {
            // the digit sat in what we kept (odd token such as "=5)"): mask it whole
            ms = s;
            me = e;
        }
        maskStart[n] = ms;
        maskEnd[n] = me;
    }

    /**
     * True for a URL path or an absolute file path: {@code /} first (after any opening brackets or quotes) and a
     * second segment or a query after it. Such a token keeps its shape when masked, so a template still says which
     * endpoint or file it is about. A lone {@code /10.0.0.1:50010} (an address as Java prints it) is a value.
     */
    private static boolean isPath(char[] t, int s, int e) {
        int k = s;
        while (k < e && isOpening(t[k])) {
            k++;
        }
        if (k >= e - 1 || t[k] != '/') {
            return false;
        }
        for (int i = k + 1; i < e; i++) {
            if (t[i] == '/' || t[i] == '?') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasQuery(char[] t, int s, int e) {
        for (int i = s; i < e; i++) {
            if (t[i] == '?') {
                return true;
            }
        }
        return false;
    }

    /**
     * Masks a path segment by segment: a segment with a digit (an id, a number, a hex or UUID value, an
     * address) becomes {@code <*>}, except an API version such as {@code v2}; a segment without one stays;
     * a query string becomes {@code ?<*>}.
     * {@code /api/users/42/orders?page=2} becomes {@code /api/users/<*>/orders?<*>}.
     */
    private void maskPath(char[] t, int s, int e) {
        // a digit segment of one character becomes the wildcard: room for that many times the path, and "?<*>"
        int room = pathsLength + WILDCARD.length() * (e - s) + 1 + WILDCARD.length();
        if (paths.length < room) paths = Arrays.copyOf(paths, Math.max(room, 2 * paths.length));
        char[] out = paths;
        int o = pathsLength;
        int end = e;
        while (end > s && isClosing(t[end - 1])) {
            end--;
        }
        // one pass: each segment is written as it ends, at '/', at '?' or at the end of the path
        int segment = s;
        boolean digit = false;
        for (int i = s; ; i++) {
            char c = i < end ? t[i] : 0;
            if (i == end || c == '/' || c == '?') {
                if (digit && !isVersion(t, segment, i)) {
                    // keep opening brackets or quotes before a first segment ("(/x/1" or "\"/x/1")
                    int k = segment;
                    while (k < i && isOpening(t[k])) {
                        out[o++] = t[k++];
                    }
                    o = wildcard(out, o);
                } else {
                    System.arraycopy(t, segment, out, o, i - segment);
                    o += i - segment;
                }
                if (i == end) {
                    break;
                }
                if (c == '?') {
                    out[o++] = '?';
                    o = wildcard(out, o);
                    break;
                }
                out[o++] = '/';
                segment = i + 1;
                digit = false;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            }
        }
        System.arraycopy(t, end, out, o, e - end);
        pathsLength = o + e - end;
    }

    private static int wildcard(char[] out, int o) {
        WILDCARD.getChars(0, WILDCARD.length(), out, o);
        return o + WILDCARD.length();
    }

    /**
     * A constant's name with digits in it, a message or error identifier rather than a value: upper-case words joined
     * by {@code _}, one at least all letters, the others letters then digits ({@code DHCP4}, {@code X509}), and at most
     * a last part of digits after two words of letters: Kea's {@code DHCP4_LEASE_ALLOC} and {@code
     * DHCP4_PACKET_NAK_0001}, OpenSSL's {@code X509_V_ERR_CERT_HAS_EXPIRED}. {@code TASK_12345} and {@code ID_A1B2C3}
     * are values.
     */
    static boolean isConstantName(char[] t, int s, int e) {
        if (e - s < 5 || t[s] < 'A' || t[s] > 'Z') return false;
        int letterParts = 0;
        int digitParts = 0;
        boolean lastDigits = false;
        int p = s;
        while (p < e) {
            int q = p;
            while (q < e && t[q] >= 'A' && t[q] <= 'Z') q++;
            int letters = q - p;
            int digitsFrom = q;
            while (q < e && t[q] >= '0' && t[q] <= '9') q++;
            int digits = q - digitsFrom;
            if (q < e && t[q] != '_') return false; // lower case or other characters: no constant
            if (letters + digits == 0) return false; // "__" or a trailing '_'
            if (digits == 0) {
                letterParts++;
            } else if (letters == 0) {
                digitParts++;
            }
            lastDigits = letters == 0;
            if (q == e) break;
            p = q + 1;
            if (p == e) return false;
        }
        if (p == s) return false; // no '_': one word (HTTP2)
        return letterParts >= 1 && (digitParts == 0 || (digitParts == 1 && lastDigits && letterParts >= 2));
    }

    /** {@code v1}, {@code v2}, {@code v10}, {@code v1.1}: a version tag in a URL, part of the endpoint. */
    private static boolean isVersion(char[] t, int s, int e) {
        if (e - s < 2 || e - s > 5 || (t[s] != 'v' && t[s] != 'V')) {
            return false;
        }
        for (int i = s + 1; i < e; i++) {
            char c = t[i];
            if (!(c >= '0' && c <= '9') && !(c == '.' && i > s + 1 && i < e - 1)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasDigit(char[] t, int s, int e) {
        for (int i = s; i < e; i++) {
            char c = t[i];
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static final byte OPENING = 1;
    private static final byte CLOSING = 2;
    private static final byte KEY = 4;
    /** The classes of the ASCII characters (see {@link AsciiClasses}: a recompilation of the tokenizer was the cost). */
    private static final byte[] CHAR_CLASS = new byte[128];

    static {
        AsciiClasses.mark(CHAR_CLASS, "([{\"'<", OPENING);
        AsciiClasses.mark(CHAR_CLASS, ")]}\"',;:>", CLOSING);
        AsciiClasses.mark(CHAR_CLASS, AsciiClasses.LETTERS + "_-.", KEY);
    }

    private static int charClass(char c) {
        return AsciiClasses.of(CHAR_CLASS, c);
    }

    private static boolean isOpening(char c) {
        return (charClass(c) & OPENING) != 0;
    }

    private static boolean isClosing(char c) {
        return (charClass(c) & CLOSING) != 0;
    }

    private static boolean isKeyChar(char c) {
        return (charClass(c) & KEY) != 0;
    }

    private void grow() {
        int cap = start.length * 2;
        start = java.util.Arrays.copyOf(start, cap);
        end = java.util.Arrays.copyOf(end, cap);
        maskStart = java.util.Arrays.copyOf(maskStart, cap);
        pathFrom = java.util.Arrays.copyOf(pathFrom, cap);
        pathTo = java.util.Arrays.copyOf(pathTo, cap);
        maskEnd = java.util.Arrays.copyOf(maskEnd, cap);
    }

    /** True when token i is a parameter (routes to the wildcard branch of the tree). */
    boolean isParam(int i) {
        return maskStart[i] >= 0;
    }

    /** Materialises the masked tokens; only called for message shapes not in the cache. */
    String[] tokens() {
        String[] out = new String[size];
        for (int i = 0; i < size; i++) {
            out[i] = token(i);
        }
        return out;
    }

    String token(int i) {
        if (pathFrom[i] >= 0) {
            return loadedPaths != null ? loadedPaths.substring(pathFrom[i], pathTo[i])
                    : new String(paths, pathFrom[i], pathTo[i] - pathFrom[i]);
        }
        int s = start[i];
        int e = end[i];
        int ms = maskStart[i];
        if (ms < 0) {
            return fromText ? text.substring(s, e) : new String(chars, s, e - s);
        }
        int me = maskEnd[i];
        if (ms == s && me == e) {
            return WILDCARD;
        }
        return fromText ? text.substring(s, ms) + WILDCARD + text.substring(me, e)
                : new String(chars, s, ms - s) + WILDCARD + new String(chars, me, e - me);
    }

    /** True when masked token i equals the template token, compared in place. */
    boolean tokenEquals(int i, String tok) {
        if (pathFrom[i] >= 0) {
            int from = pathFrom[i];
            int len = pathTo[i] - from;
            if (tok.length() != len) {
                return false;
            }
            if (loadedPaths != null) {
                return loadedPaths.regionMatches(from, tok, 0, len);
            }
            for (int k = 0; k < len; k++) {
                if (paths[from + k] != tok.charAt(k)) {
                    return false;
                }
            }
            return true;
        }
        int s = start[i];
        int e = end[i];
        int ms = maskStart[i];
        if (ms < 0) {
            return tok.length() == e - s && regionEquals(s, tok, 0, e - s);
        }
        int me = maskEnd[i];
        int pre = ms - s;
        int suf = e - me;
        return tok.length() == pre + 3 + suf
                && regionEquals(s, tok, 0, pre)
                && tok.startsWith(WILDCARD, pre)
                && regionEquals(me, tok, pre + 3, suf);
    }

    private boolean regionEquals(int from, String tok, int tokFrom, int len) {
        if (fromText) {
            return text.regionMatches(from, tok, tokFrom, len);
        }
        char[] c = chars;
        for (int k = 0; k < len; k++) {
            if (c[from + k] != tok.charAt(tokFrom + k)) {
                return false;
            }
        }
        return true;
    }

    /** Words of the trace's exception message kept after its class: what failed, without the data that follows. */
    static final int EXCEPTION_WORDS = 4;

    /**
     * Folds a multi-line event (a stack trace) into one line: the first line, then the exception
     * class of the trace with the first {@value #EXCEPTION_WORDS} words of its message, and its root cause's class.
     * Frames are dropped because they vary with line numbers, and the rest of the message because it carries data;
     * the classes and the message's first words are what identify the event (ZooKeeper's "Close of session 0x0" with
     * "java.io.IOException: ZooKeeperServer not running" at a failover, and with "java.io.IOException: Len error" for
     * a request too large, are two events).
     */
    static String foldMultiLine(String message) {
        int nl = message.indexOf('\n');
        String first = message.substring(0, nl).strip();
        String top = null;
        String topWords = null;
        String root = null;
        String firstText = null; // the first line with text, for a header whose own message is empty
        int pos = nl + 1;
        while (pos <= message.length()) {
            int next = message.indexOf('\n', pos);
            if (next < 0) {
                next = message.length();
            }
            String line = message.substring(pos, next).strip();
            pos = next + 1;
            if (line.isEmpty() || line.startsWith("at ") || line.startsWith("...")) {
                continue;
            }
            if (firstText == null) firstText = line;
            boolean cause = line.startsWith("Caused by:");
            String cls = exceptionClass(cause ? line.substring("Caused by:".length()).strip() : line);
            if (cls != null) {
                if (top == null && !cause) {
                    top = cls;
                    topWords = firstWords(line, cls.length() + 1, EXCEPTION_WORDS);
                } else if (cause) {
                    root = cls;
                }
            }
        }
        if (first.isEmpty()) {
            // Gunicorn's worker_abort hook: "[…] [WARNING] " and the stack on the lines after it
            first = top != null ? top : firstText != null ? firstText : "";
            top = null;
        }
        StringBuilder sb = new StringBuilder(first);
        if (top != null && !first.contains(top)) {
            sb.append(' ').append(top);
            if (!topWords.isEmpty()) sb.append(": ").append(topWords);
        }
        if (root != null && !root.equals(top)) {
            sb.append(' ').append(root);
        }
        return sb.toString();
    }

    /** Up to {@code n} words of {@code line} from {@code from} on, separated by single spaces; "" when none. */
    private static String firstWords(String line, int from, int n) {
        StringBuilder sb = new StringBuilder();
        int i = from;
        for (int k = 0; k < n; k++) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) i++;
            if (i >= line.length()) break;
            int end = i;
            while (end < line.length() && !Character.isWhitespace(line.charAt(end))) end++;
            if (sb.length() > 0) sb.append(' ');
            sb.append(line, i, end);
            i = end;
        }
        return sb.toString();
    }

    /** The exception class that starts the line ("java.io.IOException: msg"), or null. */
    private static String exceptionClass(String line) {
        int end = 0;
        while (end < line.length()) {
            char c = line.charAt(end);
            if (!(Character.isJavaIdentifierPart(c) || c == '.')) {
                break;
            }
            end++;
        }
        if (end == 0 || (end < line.length() && line.charAt(end) != ':')) {
            return null;
        }
        String cls = line.substring(0, end);
        return cls.endsWith("Exception") || cls.endsWith("Error") || cls.endsWith("Throwable")
                ? cls : null;
    }
}
