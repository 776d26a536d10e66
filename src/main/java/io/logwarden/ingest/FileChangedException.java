package io.logwarden.ingest;

/** The file changed (size, modification time or identity) while its job read it: it is analysed again, whole. */
public class FileChangedException extends IngestException {

    public FileChangedException(String reason) {
        super(reason);
    }
}
