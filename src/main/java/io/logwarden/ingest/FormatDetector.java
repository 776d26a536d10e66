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
 * if it reads more.
 */
public final class FormatDetector {

    private final FormatRegistry registry;
    private final Map<PathMatcher, LogFormat> overrides;
    private final Map<PathMatcher, String> overrideGlobs;
    private final double minShare;

    /** Below this share of the best registered format, a layout is inferred and compared with it. */
    private static final double INFER_BELOW = 0.95;

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
                    return inferred;
                }
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

    /** Share of the lines (lines it does not parse but that continue an event, stack frames, left out) that the format parses. */
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
