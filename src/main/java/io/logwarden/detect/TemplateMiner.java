package io.logwarden.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Online log template miner in the style of Drain (He et al., ICWS 2017): a fixed-depth parse
 * tree over masked tokens, plus a signature cache for speed and a parameter-aware similarity
 * that lets one default setting work across very different logs.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li><b>Fold</b> a multi-line event to its first line plus its exception class and root cause
 *       (stack frames vary, the exception classes identify the event).</li>
 *   <li><b>Mask</b> user regex masks (if any), then split on whitespace and mask every token that
 *       contains a digit, keeping brackets and a {@code key=} prefix, and every file path and qualified
 *       name; a run of values is one {@code <*>}; a path with ids keeps its literal segments and loses
 *       ids and query strings ({@code /api/users/<*>/orders}; see {@link Masker}).
 *       A hand-written scanner does this without regex and without per-line allocation, on the
 *       caller's thread if it uses {@link PreparedMessage}.</li>
 *   <li><b>Signature cache</b>: a 64-bit hash of the masked token sequence maps to the template
 *       that sequence joined before. A hit whose constant tokens still match the template (so a
 *       hash collision cannot misroute) only increments the count. Most lines of a real log are
 *       hits, which is where the throughput comes from.</li>
 *   <li><b>Parse tree</b> (on a cache miss): the first level is the token count, the next
 *       {@code depth - 2} levels the leading tokens (parameters go to a {@code <*>} branch, and
 *       so does any token once a node has {@code maxChildren} children). The leaf holds the
 *       candidate templates. Leading tokens are trusted to be constants, as in Drain: that keeps
 *       {@code "cupsd startup succeeded"} and {@code "sshd startup succeeded"} apart.</li>
 *   <li><b>Similarity</b>: share of positions where the template token equals the message token or the
 *       template already has {@code <*>} there and the message fits it: a masked value always does, a word only
 *       where the template generalised words before ("word slots"), so a template of masked numbers does not
 *       take in every word message of its length. The best candidate wins (ties go to the template with more
 *       parameters) if its share is at least {@code similarity}. A candidate is left as soon as it can no
 *       longer reach the threshold or the best so far, so a leaf of many templates costs a token or two per
 *       template. Counting {@code <*>} as agreement is the main change from Drain: a template with many
 *       parameters is not penalised, so the threshold can be high (0.75) and still not split groups, and a high
 *       threshold keeps templates that differ in one constant word apart. Tokens whose punctuation frames
 *       differ ({@code key=} with and without a value, {@code (x)} and {@code WORD(x)}; see {@code sameFrame})
 *       never agree, and a parameter keeps the frame of the constant it replaced: split at punctuation, such
 *       messages would differ in length. A message that is an HTTP request line ({@code GET /path ...}) only
 *       joins a template of the same endpoint: the path is what the template is about.</li>
 *   <li><b>Update</b>: positions where the message differs from the template become {@code <*>};
 *       the template keeps its id. Two templates never converge to the same pattern (in one
 *       leaf a message that fits a pattern scores 1.0 and joins it; templates in different
 *       leaves differ in a leading token), so the miner never merges:
 *       {@link Template#previousIds()} is empty for templates mined here and carries merge
 *       history that arrives through {@link #restore}. (A full leaf's overflow template may come to
 *       read like one of its templates; it still never takes their messages.)</li>
 *   <li><b>Full leaves</b>: a leaf holds at most {@code maxLeafTemplates} templates (100). Past that, a message
 *       that matches none of them joins the leaf's overflow template (its leading tokens, then {@code <*>} in
 *       every other position), which is consulted only after the leaf's templates: text that hardly repeats (free text,
 *       random words) would otherwise make a template of every message, each compared with every later message
 *       of its leaf (Drain's cost grows that way). Real logs come nowhere near it: the busiest leaf of the mixed
 *       Loghub input holds 5 templates.</li>
 * </ol>
 *
 * <h2>Defaults</h2>
 * depth 4 (two token levels), similarity 0.75, maxChildren 100, maxLeafTemplates 100, signature cache of 65,536
 * entries (cleared when full), no user masks. One setting for all sources, chosen on one half of the ten
 * Loghub-2k datasets and checked on the other: average grouping accuracy 0.990 on the half it was chosen on,
 * 0.911 on the other (Drain tuned per dataset: 0.938 and 0.839); see {@code bench/RESULTS.md}. Templates are
 * not evicted: memory grows with the number of distinct templates (hundreds to a few thousand per source in
 * practice, and bounded per leaf), not with volume.
 *
 * <h2>Ids</h2>
 * {@code "T" + n}, with n a per-miner sequence starting at 1. A template keeps its id when its
 * pattern generalises; {@link #restore} keeps ids, counts and history, and continues the
 * sequence after the highest number found in the snapshot (including previous ids), so new ids
 * never collide with restored ones. Ids are unique per miner, so store them per source.
 *
 * <h2>Threading</h2>
 * Not thread-safe: {@link #add} and {@link #match} reuse internal buffers and {@link Template}
 * objects are live views. The caller serialises access (for example one miner per source,
 * owned by one consumer). Messages may be prepared on other threads ({@link PreparedMessage}).
 */
public final class TemplateMiner {

    /** Default tree depth (root, token count and two leading tokens). */
    public static final int DEFAULT_DEPTH = 4;
    /** Default share of agreeing positions needed to join a template. */
    public static final double DEFAULT_SIMILARITY = 0.75;
    /** Default children per tree node before tokens overflow into the wildcard branch. */
    public static final int DEFAULT_MAX_CHILDREN = 100;
    /** Default templates per tree leaf before messages that match none of them join the leaf's overflow template. */
    public static final int DEFAULT_MAX_LEAF_TEMPLATES = 100;

    private static final String WILDCARD = Masker.WILDCARD;

    private final int depth;
    private final double similarity;
    private final int maxChildren;
    private final int maxLeafTemplates;
    private final List<Masker.UserMask> masks;
    /** The buffers {@link #add(String)} and {@link #match} prepare messages in. */
    private final PreparedMessage own;
    private final SignatureCache cache;

    /** Token count -> group (tree root and all templates of that length). */
    private final Map<Integer, LengthGroup> groups = new HashMap<>();
    /** Live templates in creation order. */
    private final Map<String, Template> templates = new LinkedHashMap<>();
    private long nextSequence = 1;

    private TemplateMiner(Builder b) {
        this.depth = b.depth;
        this.similarity = b.similarity;
        this.maxChildren = b.maxChildren;
        this.maxLeafTemplates = b.maxLeafTemplates;
        this.masks = List.copyOf(b.masks.values());
        this.own = new PreparedMessage(masks);
        this.cache = b.cacheSize > 0 ? new SignatureCache(b.cacheSize) : null;
    }

    /** A builder with the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mines one message and returns the template it joined, created or generalised. A message
     * with {@code '\n'} is folded to its first line plus its exception signature.
     */
    public Template add(String message) {
        return add(own.prepare(message));
    }

    /** A reusable holder for messages prepared with this miner's masks, possibly on another thread. */
    public PreparedMessage newPreparedMessage() {
        return new PreparedMessage(masks);
    }

    /** {@link #add(String)} for a message prepared with {@link #newPreparedMessage()}. */
    public Template add(PreparedMessage prepared) {
        Masker m = prepared.masker;
        if (cache != null) {
            Template hit = cache.get(m.hash);
            if (hit != null && covers(m, hit)) {
                hit.count++;
                return hit;
            }
        }
        String[] tokens = m.tokens();
        LengthGroup group = groups.computeIfAbsent(tokens.length, n -> new LengthGroup());
        Template t = place(group, tokens);
        if (cache != null) {
            cache.put(m.hash, t);
        }
        return t;
    }

    /** The slow path: tree search, then join (generalising the differing positions) or create. */
    private Template place(LengthGroup group, String[] tokens) {
        Node leaf = leaf(group, tokens);
        Template best = leaf == null ? null : search(leaf, tokens);
        if (best == null && leaf != null && leaf.templates != null && leaf.templates.size() >= maxLeafTemplates) {
            best = overflow(group, leaf, tokens);
        }
        if (best != null) {
            best.count++;
            generalise(best, tokens);
            return best;
        }
        Template t = new Template("T" + nextSequence, tokens, 1, List.of());
        nextSequence++;
        insert(group, t, tokens);
        return t;
    }

    /**
     * Finds the most specific template whose pattern already covers the message (same token
     * count, every constant token equal), without changing any state; {@code null} if none.
     * Stricter than {@link #add}, which also joins similar templates and generalises them. On a
     * cache miss it scans all templates of the message's token count, not just one tree leaf.
     */
    public Template match(String message) {
        Masker m = own.prepare(message).masker;
        if (cache != null) {
            Template hit = cache.get(m.hash);
            if (hit != null && covers(m, hit)) {
                return hit;
            }
        }
        LengthGroup group = groups.get(m.size);
        if (group == null) {
            return null;
        }
        Template best = null;
        int bestParams = Integer.MAX_VALUE;
        for (Template t : group.all) {
            if (covers(m, t)) {
                // the most specific covering template is the most informative answer
                int params = paramCount(t.tokens);
                if (params < bestParams) {
                    best = t;
                    bestParams = params;
                }
            }
        }
        return best;
    }

    /** Live templates in creation order (unmodifiable view). */
    public Collection<Template> templates() {
        return Collections.unmodifiableCollection(templates.values());
    }

    /** The live template with this id, or null (ids are per miner, see the class comment). */
    public Template byId(String id) {
        return templates.get(id);
    }

    /** Immutable copy of the state, in creation order; feed it to {@link #restore}. */
    public List<TemplateSnapshot> snapshot() {
        List<TemplateSnapshot> out = new ArrayList<>(templates.size());
        for (Template t : templates.values()) {
            out.add(t.toSnapshot());
        }
        return out;
    }

    /**
     * Rebuilds a miner from a snapshot: ids, patterns, counts and history are kept, the tree is
     * rebuilt from the patterns ({@code <*>} positions go to the wildcard branch), and new ids
     * continue after the highest restored one.
     */
    public static TemplateMiner restore(Builder config, List<TemplateSnapshot> state) {
        TemplateMiner miner = config.build();
        long maxSeq = 0;
        for (TemplateSnapshot s : state) {
            if (miner.templates.containsKey(s.id())) {
                throw new IllegalArgumentException("duplicate template id in snapshot: " + s.id());
            }
            String[] tokens = splitPattern(s.pattern());
            Template t = new Template(s.id(), tokens, s.count(), s.previousIds());
            // a snapshot does not say why a position is a parameter: words are taken to be welcome there
            welcomeWords(t);
            LengthGroup group = miner.groups.computeIfAbsent(tokens.length, n -> new LengthGroup());
            miner.insert(group, t, tokens, miner.isOverflow(tokens));
            maxSeq = Math.max(maxSeq, sequenceOf(s.id()));
            for (String prev : s.previousIds()) {
                maxSeq = Math.max(maxSeq, sequenceOf(prev));
            }
        }
        miner.nextSequence = maxSeq + 1;
        return miner;
    }

    // ---------------------------------------------------------------- internals

    /** Parse-tree node: children by token, templates at the leaves. */
    private static final class Node {
        Map<String, Node> children;
        List<Template> templates;
        /** The template of a full leaf's messages that match none of its templates (see {@code overflow}). */
        Template overflow;

        Node child(String token) {
            return children == null ? null : children.get(token);
        }

        Node addChild(String token) {
            if (children == null) {
                children = new HashMap<>();
            }
            return children.computeIfAbsent(token, k -> new Node());
        }

        int childCount() {
            return children == null ? 0 : children.size();
        }
    }

    private static final class LengthGroup {
        final Node root = new Node();
        final List<Template> all = new ArrayList<>();
    }

    /** The leaf a message's leading tokens lead to (null: none yet). */
    private Node leaf(LengthGroup group, String[] tokens) {
        return leaf(group, tokens, null);
    }

    /** {@link #leaf(LengthGroup, String[])}, writing into {@code keys} (when given) the key taken at each level. */
    private Node leaf(LengthGroup group, String[] tokens, String[] keys) {
        Node node = group.root;
        int levels = Math.min(depth - 2, tokens.length);
        for (int i = 0; i < levels && node != null; i++) {
            String key = routeKey(tokens[i]);
            Node next = node.child(key);
            if (next == null) {
                key = WILDCARD;
                next = node.child(WILDCARD);
            }
            if (keys != null) keys[i] = key;
            node = next;
        }
        return node;
    }

    /** The leaf's template the message joins: the most similar above the threshold, else the leaf's overflow. */
    private Template search(Node leaf, String[] tokens) {
        Template best = leaf.templates == null ? null : bestMatch(leaf.templates, tokens, needed(tokens.length));
        return best != null ? best : leaf.overflow;
    }

    /**
     * The template that takes a full leaf's messages that match none of its templates, made the first time: the
     * leaf's leading tokens, then parameters that welcome words. Free text that hardly repeats would otherwise make
     * a template of every message, and each later message would be compared with all of them. It is kept apart
     * from the leaf's templates, so that it never takes a message one of them matches.
     */
    private Template overflow(LengthGroup group, Node leaf, String[] message) {
        if (leaf.overflow == null) {
            String[] tokens = new String[message.length];
            Arrays.fill(tokens, WILDCARD);
            leaf(group, message, tokens); // the tokens that led to the leaf, or the wildcard branch's <*>
            Template t = new Template("T" + nextSequence, tokens, 0, List.of());
            nextSequence++;
            welcomeWords(t);
            insert(group, t, tokens, true); // the same keys lead to the same leaf
        }
        return leaf.overflow;
    }

    /** Every parameter position of the template takes words too ({@code wordSlots}). */
    private static void welcomeWords(Template t) {
        t.wordSlots = new boolean[t.tokens.length];
        Arrays.fill(t.wordSlots, true);
    }

    /** The fewest agreeing positions of {@code length} that reach {@code similarity}. */
    private int needed(int length) {
        int n = (int) Math.ceil(similarity * length);
        while (n > 0 && (double) (n - 1) / length >= similarity) n--;
        while (n <= length && (double) n / length < similarity) n++;
        return n;
    }

    /**
     * The candidate with the most agreeing positions, at least {@code needed} of them (ties go to the one with
     * more parameters); null if none. A candidate is left as soon as it can no longer reach {@code needed} or the
     * best so far: on a leaf of many templates most are left after a token or two.
     */
    private Template bestMatch(List<Template> candidates, String[] tokens, int needed) {
        Template best = null;
        int bestSame = -1;
        int bestParams = -1;
        int endpoint = endpointPosition(tokens);
        for (Template t : candidates) {
            // a candidate that cannot reach the best so far (a tie may still win on parameters) is left early
            int needs = Math.max(needed, bestSame);
            String[] tt = t.tokens;
            if (endpoint >= 0 && !tt[endpoint].equals(tokens[endpoint])) {
                continue; // another endpoint is another template, however similar the rest
            }
            int same = 0;
            int params = 0;
            for (int i = 0; i < tt.length; i++) {
                String a = tt[i];
                if (a == WILDCARD) {
                    // a parameter agrees with a value (Drain counts it as a mismatch, which splits templates
                    // with many parameters: measured worse), but a word only where words were seen before
                    params++;
                    if (t.frames != null && t.frames[i] != null && !sameFrame(t.frames[i], tokens[i])) {
                        same = -1; // a parameter keeps the punctuation frame of the constant it replaced
                        break;
                    }
                    if ((t.wordSlots != null && t.wordSlots[i]) || tokens[i].contains(WILDCARD)) {
                        same++;
                    } else if (same + tt.length - 1 - i < needs) {
                        same = -1;
                        break;
                    }
                } else if (a.equals(tokens[i])) {
                    same++;
                } else if (same + tt.length - 1 - i < needs || !sameFrame(a, tokens[i])) {
                    same = -1; // split at punctuation, the two would differ in length: never one template
                    break;     // (or too few positions left to agree)
                }
            }
            if (same < needs) {
                continue;
            }
            // one length per leaf: more agreeing positions is a higher similarity
            if (same > bestSame || (same == bestSame && params > bestParams)) {
                best = t;
                bestSame = same;
                bestParams = params;
            }
        }
        return best;
    }

    /**
     * 1 when the message is an HTTP request line ({@code GET /api/users/<*>/orders HTTP/1.1 200}, as access-log
     * formats give it): its path says which endpoint was called (ids in it are already masked), so it is kept
     * as a constant. -1 otherwise: a request quoted inside another message is left to the similarity test.
     */
    static int endpointPosition(String[] tokens) {
        return tokens.length >= 2 && Masker.isHttpMethod(tokens[0]) && tokens[1].startsWith("/") ? 1 : -1;
    }

    /**
     * True when two tokens have the same punctuation frame, the part of a token that a parser splitting at
     * punctuation (as many Loghub parsers do for {@code key=value}, brackets and commas) would see as separate
     * constant tokens: both start with a word, or with the same punctuation character; both or neither hold
     * {@code =}; and where they do, the keys before it have the same shape (the same punctuation in the same order,
     * each run of letters, digits, {@code _} or {@code <*>} counted as one word) and both values are empty or both
     * are not. {@code rhost=} and {@code rhost=<*>}, {@code (uid=<*>)} and {@code LOGIN(uid=<*>)} differ in frame;
     * {@code user=root} and {@code user=guest}, or two host names, do not. Tokens of different frames would be
     * messages of different lengths once split, and messages of different lengths are never one template (Drain's
     * first tree level); comparing frames gives that answer without re-tokenising, and leaves the values inside a
     * token (host names, dotted words) free to vary. A token masked whole ({@code <*>}: a path, a qualified name)
     * has lost its frame and agrees with any; an {@code =} after a {@code /}, {@code ?} or {@code &} is part of a
     * path or query, not a key.
     */
    static boolean sameFrame(String a, String b) {
        if (a.equals(WILDCARD) || b.equals(WILDCARD)) {
            return true; // masked whole (a path, a name): its frame is not known
        }
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() == b.isEmpty();
        }
        boolean wa = startsWord(a);
        boolean wb = startsWord(b);
        if (wa != wb || (!wa && a.charAt(0) != b.charAt(0))) {
            return false;
        }
        int ea = keyEnd(a);
        int eb = keyEnd(b);
        if (ea < 0 || eb < 0) {
            return (ea < 0) == (eb < 0);
        }
        return (ea == a.length() - 1) == (eb == b.length() - 1) && sameShape(a, ea, b, eb);
    }

    /** Whether a token starts with a word character or {@code <*>}: {@code wordRun(s, 0, length) > 0}, at once. */
    private static boolean startsWord(String s) {
        char c = s.charAt(0);
        return Character.isLetterOrDigit(c) || c == '_' || (c == '<' && s.startsWith(WILDCARD));
    }

    /** The index of the {@code =} that ends a key at the start of the token, -1 if none (an {@code =} in a path or query). */
    private static int keyEnd(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '=') {
                return i;
            }
            if (c == '/' || c == '?' || c == '&') {
                return -1;
            }
        }
        return -1;
    }

    /** Same punctuation in the same order in {@code a[0, n)} and {@code b[0, m)}, each word run counted as one. */
    private static boolean sameShape(String a, int n, String b, int m) {
        int i = 0;
        int j = 0;
        while (true) {
            int ni = wordRun(a, i, n);
            int nj = wordRun(b, j, m);
            if ((ni > i) != (nj > j)) {
                return false;
            }
            i = ni;
            j = nj;
            if (i == n || j == m) {
                return i == n && j == m;
            }
            if (a.charAt(i) != b.charAt(j)) {
                return false;
            }
            i++;
            j++;
        }
    }

    /** The end of the run of word characters and {@code <*>} starting at {@code from} ({@code from} if none). */
    private static int wordRun(String s, int from, int to) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '_') {
                i++;
            } else if (c == '<' && s.startsWith(WILDCARD, i) && i + WILDCARD.length() <= to) {
                i += WILDCARD.length();
            } else {
                break;
            }
        }
        return i;
    }

    /** Drain's tree insertion: leading tokens, parameters and overflow to the wildcard branch. */
    private void insert(LengthGroup group, Template t, String[] tokens) {
        insert(group, t, tokens, false);
    }

    /**
     * @param overflow the template is parameters after its leading tokens: it becomes its leaf's overflow template,
     *                 if the leaf has none yet (a snapshot does not say which template was the overflow one; one of
     *                 that shape takes the same messages either way, and must not take those the leaf's other
     *                 templates match)
     */
    private void insert(LengthGroup group, Template t, String[] tokens, boolean overflow) {
        Node node = group.root;
        int levels = Math.min(depth - 2, tokens.length);
        for (int i = 0; i < levels; i++) {
            String key = routeKey(tokens[i]);
            Node next = node.child(key);
            if (next == null) {
                if (key == WILDCARD) {
                    next = node.addChild(WILDCARD);
                } else if (node.child(WILDCARD) != null) {
                    next = node.childCount() < maxChildren ? node.addChild(key) : node.child(WILDCARD);
                } else if (node.childCount() + 1 < maxChildren) {
                    next = node.addChild(key);
                } else {
                    // keep the last slot for the wildcard branch that takes all overflow
                    next = node.addChild(WILDCARD);
                }
            }
            node = next;
        }
        if (overflow && node.overflow == null) {
            node.overflow = t;
        } else {
            if (node.templates == null) {
                node.templates = new ArrayList<>(2);
            }
            node.templates.add(t);
        }
        group.all.add(t);
        templates.put(t.id(), t);
    }

    /** Whether a restored pattern has an overflow template's shape: parameters after the leading tokens. */
    private boolean isOverflow(String[] tokens) {
        int levels = Math.min(depth - 2, tokens.length);
        for (int i = levels; i < tokens.length; i++) {
            if (tokens[i] != WILDCARD) return false;
        }
        return tokens.length > levels;
    }

    private static String routeKey(String token) {
        return token.contains(WILDCARD) ? WILDCARD : token;
    }

    /** Replaces differing positions by the wildcard. */
    private static void generalise(Template t, String[] tokens) {
        String[] tt = t.tokens;
        boolean changed = false;
        for (int i = 0; i < tt.length; i++) {
            if (tt[i] != WILDCARD && !tt[i].equals(tokens[i])) {
                if (t.wordSlots == null) {
                    t.wordSlots = new boolean[tt.length];
                    t.frames = new String[tt.length];
                }
                t.frames[i] = tt[i];
                tt[i] = WILDCARD;
                t.wordSlots[i] = true;
                changed = true;
            }
        }
        if (changed) {
            t.patternChanged();
        }
    }

    /** True when every constant token of t equals the prepared message's masked token. */
    private static boolean covers(Masker m, Template t) {
        String[] tt = t.tokens;
        if (tt.length != m.size) {
            return false;
        }
        for (int i = 0; i < tt.length; i++) {
            String a = tt[i];
            if (a != WILDCARD && !m.tokenEquals(i, a)) {
                return false;
            }
        }
        return true;
    }

    private static int paramCount(String[] tokens) {
        int n = 0;
        for (String s : tokens) {
            if (s == WILDCARD) {
                n++;
            }
        }
        return n;
    }

    /** Splits a stored pattern on single spaces; {@code <*>} tokens become the shared wildcard. */
    private static String[] splitPattern(String pattern) {
        if (pattern.isEmpty()) {
            return new String[0];
        }
        List<String> out = new ArrayList<>();
        int s = 0;
        while (true) {
            int sp = pattern.indexOf(' ', s);
            String tok = sp < 0 ? pattern.substring(s) : pattern.substring(s, sp);
            if (!tok.isEmpty()) {
                out.add(tok.equals(WILDCARD) ? WILDCARD : tok);
            }
            if (sp < 0) {
                break;
            }
            s = sp + 1;
        }
        return out.toArray(new String[0]);
    }

    private static long sequenceOf(String id) {
        if (id.length() < 2 || id.charAt(0) != 'T') {
            return -1;
        }
        long v = 0;
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9' || v > Long.MAX_VALUE / 10 - 10) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Configuration with documented defaults. Reusable: {@link #build()} may be called many
     * times, for example once per source.
     */
    public static final class Builder {
        private int depth = DEFAULT_DEPTH;
        private double similarity = DEFAULT_SIMILARITY;
        private int maxChildren = DEFAULT_MAX_CHILDREN;
        private int maxLeafTemplates = DEFAULT_MAX_LEAF_TEMPLATES;
        private int cacheSize = 1 << 16;
        private final Map<String, Masker.UserMask> masks = new LinkedHashMap<>();
        private boolean namedMasks = false;

        private Builder() {
        }

        /** Tree depth including the root and length levels; default 4 (two token levels). Min 2. */
        public Builder depth(int depth) {
            if (depth < 2) {
                throw new IllegalArgumentException("depth must be >= 2: " + depth);
            }
            this.depth = depth;
            return this;
        }

        /** Share of equal tokens needed to join a template, in [0, 1]; default 0.75. */
        public Builder similarity(double similarity) {
            if (!(similarity >= 0 && similarity <= 1)) {
                throw new IllegalArgumentException("similarity must be in [0, 1]: " + similarity);
            }
            this.similarity = similarity;
            return this;
        }

        /** Children per tree node before tokens overflow into the wildcard branch; default 100. */
        public Builder maxChildren(int maxChildren) {
            if (maxChildren < 2) {
                throw new IllegalArgumentException("maxChildren must be >= 2: " + maxChildren);
            }
            this.maxChildren = maxChildren;
            return this;
        }

        /**
         * Templates a tree leaf holds before a message that matches none of them joins the leaf's overflow template
         * (its leading tokens, then parameters) instead of making another; default 100. Bounds the work per message
         * on text that hardly repeats (free text, random words), where every message would otherwise become a
         * template that every later one is compared with.
         */
        public Builder maxLeafTemplates(int maxLeafTemplates) {
            if (maxLeafTemplates < 1) {
                throw new IllegalArgumentException("maxLeafTemplates must be >= 1: " + maxLeafTemplates);
            }
            this.maxLeafTemplates = maxLeafTemplates;
            return this;
        }

        /**
         * Adds a user mask: every match of {@code regex} is replaced by {@code <*>} before
         * tokenising (or by {@code <name>} with {@link #namedMasks(boolean)}). Masks run in the
         * order added; adding a name again replaces that mask.
         */
        public Builder mask(String name, String regex) {
            Objects.requireNonNull(name, "name");
            Pattern p = Pattern.compile(regex);
            masks.put(name, new Masker.UserMask(name, p, null));
            return this;
        }

        /** Replace user-mask matches by {@code <name>} instead of {@code <*>}; default false. */
        public Builder namedMasks(boolean named) {
            this.namedMasks = named;
            return this;
        }

        /** Signature cache entries (0 disables it); default 65,536. */
        public Builder cacheSize(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("cacheSize must be >= 0: " + entries);
            }
            this.cacheSize = entries;
            return this;
        }

        public TemplateMiner build() {
            // replacement text is fixed at build time so namedMasks may be set after mask()
            Map<String, Masker.UserMask> resolved = new LinkedHashMap<>();
            for (Masker.UserMask m : masks.values()) {
                String repl = namedMasks ? "<" + m.name() + ">" : WILDCARD;
                resolved.put(m.name(), new Masker.UserMask(m.name(), m.pattern(),
                        java.util.regex.Matcher.quoteReplacement(repl)));
            }
            Builder copy = new Builder();
            copy.depth = depth;
            copy.similarity = similarity;
            copy.maxChildren = maxChildren;
            copy.maxLeafTemplates = maxLeafTemplates;
            copy.cacheSize = cacheSize;
            copy.masks.putAll(resolved);
            return new TemplateMiner(copy);
        }
    }
}
