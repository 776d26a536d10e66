package io.logwarden.store;

/** No row with that id: an unknown anomaly, job, report or source. */
public class NotFoundException extends RuntimeException {

    private final String kind;
    private final String id;

    public NotFoundException(String kind, Object id) {
        this(kind, id, "no " + kind + " " + id);
    }

    public NotFoundException(String kind, Object id, String message) {
        super(message);
        this.kind = kind;
        this.id = String.valueOf(id);
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }
}
