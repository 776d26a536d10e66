package io.logwarden.ingest;

/** No configured format matches enough of a file's first lines. */
public final class UnknownFormatException extends IngestException {

    private final String fileName;
    private final String bestFormat;
    private final double bestShare;

    public UnknownFormatException(String message, String fileName, String bestFormat, double bestShare) {
        super(message);
        this.fileName = fileName;
        this.bestFormat = bestFormat;
        this.bestShare = bestShare;
    }

    public String fileName() {
        return fileName;
    }

    /** The format that matched the most sampled lines, or null when none matched any. */
    public String bestFormat() {
        return bestFormat;
    }

    /** Share (0..1) of the sampled event lines that the best format matched. */
    public double bestShare() {
        return bestShare;
    }
}
