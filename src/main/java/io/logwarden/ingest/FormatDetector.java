package io.logwarden.ingest;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Picks a file's format: a configured file-name glob wins; otherwise the format that parses the largest share
 * of the sampled lines, if that share reaches the minimum. Lines that look like continuations (stack frames)
 * and that a format does not parse do not count against it. Ties go to the format whose name's first word
 * appears in the file name ("nginx" in {@code nginx-access.log}), then to the registry order. When no
 * registered format reads nearly all lines, a layout is inferred from them ({@link LayoutInference}) and wins
 * if it reads more; when the winner still leaves lines unread and another format (or layout) reads nearly all of
 * those, the two are read together ({@link InterleavedFormats}).
 */
public final class FormatDetector {

    private final FormatRegistry registry;
    private final Map<PathMatcher, LogFormat> overrides;
    private final Map<PathMatcher, String> overrideGlobs;
    private final double minShare;

    /** Below this share of the best registered format, a layout is inferred and compared with it. */
    private static final double INFER_BELOW = 0.95;
    /** A second format, for the lines the best does not read: at least this many of them, and this share read. */
    private static final int MIN_SECOND_LINES = 8;
    private static final double SECOND_SHARE = 0.9;
    /** How often the sample must go from one format to the other for the two to be written line by line. */
    private static final int MIN_SWITCHES = 4;
    /** The share of the sampled lines the best format must read to be paired with a second (alone, it may read too
     * few). */
    private static final double MIN_FIRST_SHARE = 0.25;
    /**
     * What the two formats must read together over the best alone, as a share of the sampled lines: uWSGI's log holds
     * 8 % of its application's own logging lines among its request lines.
     */
    private static final double MIN_SECOND_GAIN = 0.05;

    /**
     * @throws IllegalArgumentException when an override names an unknown format or has an invalid glob
     */
    public FormatDetector(FormatRegistry registry, Map<String, String> fileFormatOverrides, double minShare) {
        this.registry = registry;
        this.minShare = minShare;
        this.overrides = new LinkedHashMap<>();
        this.overrideGlobs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : fileFormatOverrides.entrySet()) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + e.getKey());
            overrides.put(matcher, registry.get(e.getValue()));
            overrideGlobs.put(matcher, e.getKey());
        }
    }

    /** The format configured for this file by a glob on its name (or, for globs with '/', on its path). */
    public Optional<LogFormat> override(Path file) {
        Path name = file.getFileName();
        for (Map.Entry<PathMatcher, LogFormat> e : overrides.entrySet()) {
            boolean onPath = overrideGlobs.get(e.getKey()).contains("/");
            if (e.getKey().matches(onPath ? file : name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The format matching the largest share of the sampled non-blank lines.
     *
     * @throws UnknownFormatException when no format reaches the minimum share
     */
    public LogFormat detect(String fileName, List<String> sampleLines) {
        List<LogFormat> candidates = registry.detectable();
        LogFormat best = null;
        double bestShare = -1;
        String hintWord = fileName.toLowerCase(Locale.ROOT);
        for (LogFormat format : candidates) {
            double share = share(format, sampleLines);
            if (share > bestShare + 1e-9
                    || (Math.abs(share - bestShare) <= 1e-9 && share > 0 && hinted(format, hintWord) && !hinted(best, hintWord)
                    && !(best instanceof ContainerFormat))) { // a container record is JSON too, but more specific
                best = format;
                bestShare = share;
            }
        }
        if (bestShare < INFER_BELOW) {
            Layout layout = LayoutInference.infer(sampleLines, registry.timestamps());
            if (layout != null) {
                LogFormat inferred = LayoutFormat.inferred(layout, registry.timestamps());
                double share = share(inferred, sampleLines);
                if (share > bestShare + 1e-9 && share >= minShare) {
                    best = inferred;
                    bestShare = share;
                }
            }
            if (best != null && bestShare >= MIN_FIRST_SHARE && !(best instanceof ContainerFormat)) {
                LogFormat both = withSecond(best, sampleLines);
                double share = both == null ? 0 : share(both, sampleLines);
                if (share >= bestShare + MIN_SECOND_GAIN && share >= minShare) return both;
            }
        }
        if (best == null || bestShare < minShare || bestShare == 0) {
            List<String> tried = new ArrayList<>();
            candidates.forEach(f -> tried.add(f.name()));
            String bestText = best == null || bestShare <= 0
                    ? "no format matched any line"
                    : "best was " + best.name() + " (" + Math.round(bestShare * 100) + "% of " + sampleLines.size()
                            + " sampled lines, " + Math.round(minShare * 100) + "% needed)";
            throw new UnknownFormatException("no known format matches " + fileName + ": " + bestText
                    + "; tried " + String.join(", ", tried)
                    + "; configure logwarden.ingest.formats (a regex format) or logwarden.ingest.file-formats",
                    fileName, bestShare > 0 && best != null ? best.name() : null, Math.max(bestShare, 0));
        }
        return best;
    }

    /**
     * The format read with a second one that reads nearly all the lines it does not ({@link InterleavedFormats}), or
     * null when no format does: the second is the registered or inferred format that reads the most of those lines.
     */
    private LogFormat withSecond(LogFormat first, List<String> sampleLines) {
        // what the first format makes of each line, worked out once for every candidate second
        byte[] firstReads = new byte[sampleLines.size()]; // 1 read, 2 continues an event, 0 left
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < firstReads.length; i++) {
            String line = sampleLines.get(i);
            firstReads[i] = (byte) (first.parse(line, "", null) != null ? 1 : first.continues(line) ? 2 : 0);
            if (firstReads[i] == 0) rest.add(line);
        }
        if (rest.size() < MIN_SECOND_LINES) return null;
        LogFormat second = null;
        double secondShare = 0;
        for (LogFormat format : registry.detectable()) {
            if (format == first || format instanceof ContainerFormat) continue;
            double share = restShare(firstReads, format, sampleLines);
            if (share > secondShare + 1e-9) {
                second = format;
                secondShare = share;
            }
        }
        if (secondShare < SECOND_SHARE) {
            Layout layout = LayoutInference.infer(rest, registry.timestamps());
            if (layout != null) {
                LogFormat inferred = LayoutFormat.inferred(layout, registry.timestamps());
                double share = restShare(firstReads, inferred, sampleLines);
                if (share > secondShare + 1e-9 && !inferred.description().equals(first.description())) {
                    second = inferred;
                    secondShare = share;
                }
            }
        }
        return second != null && secondShare >= SECOND_SHARE ? new InterleavedFormats(first, second) : null;
    }

    /**
     * The share of the lines the first format leaves that the second reads, 0 when it reads fewer than
     * {@value #MIN_SECOND_LINES} or the lines go from one format to the other fewer than {@value #MIN_SWITCHES}
     * times. The lines the second would fold into its events (a message of several lines under one of its headers)
     * are left out, as stack frames are.
     */
    private static double restShare(byte[] firstReads, LogFormat second, List<String> lines) {
        int matched = 0;
        int counted = 0;
        int switches = 0;
        boolean inSecond = false;
        for (int i = 0; i < firstReads.length; i++) {
            String line = lines.get(i);
            if (firstReads[i] == 1) {
                if (inSecond) switches++;
                inSecond = false;
            } else if (firstReads[i] == 2) {
                continue;
            } else if (second.parse(line, "", null) != null) {
                matched++;
                counted++;
                if (!inSecond) switches++;
                inSecond = true;
            } else if (!second.continues(line) && !(inSecond && second.foldsUntimedLines())) {
                counted++;
            }
        }
        // two logs one after the other (a header change, reported by the reader where it happens) switch once or twice
        return matched < MIN_SECOND_LINES || switches < MIN_SWITCHES ? 0 : (double) matched / counted;
    }

    /**
     * The format of the lines a container runtime wrapped, or null when none reads enough of them (each is then a
     * message). Container formats are not tried again inside.
     */
    public LogFormat detectInner(List<String> texts) {
        try {
            LogFormat inner = detect("", texts);
            return inner instanceof ContainerFormat ? null : inner;
        } catch (UnknownFormatException e) {
            return null;
        }
    }

    /** Share of the lines that the format parses, leaving out those it does not parse that continue an event. */
    static double share(LogFormat format, List<String> lines) {
        int matched = 0;
        int counted = 0;
        for (String line : lines) {
            if (format.parse(line, "", null) != null) {
                matched++;
                counted++;
            } else if (!format.continues(line)) {
                counted++;
            }
        }
        return counted == 0 ? 0 : (double) matched / counted;
    }

    private static boolean hinted(LogFormat format, String fileName) {
        if (format == null) return false;
        String name = format.name();
        int dash = name.indexOf('-');
        return fileName.contains(dash > 0 ? name.substring(0, dash) : name);
    }
}
