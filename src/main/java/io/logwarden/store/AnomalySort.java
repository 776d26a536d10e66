package io.logwarden.store;

import java.util.Arrays;
import java.util.Optional;

/** Orders of an anomaly list; each ends on the id, so a keyset cursor is stable while rows are added. */
public enum AnomalySort {
    /** Latest first (by the window's start). */
    NEWEST("newest"),
    /** Earliest first. */
    OLDEST("oldest"),
    /** Highest score first. */
    SCORE("score");

    private final String id;

    AnomalySort(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<AnomalySort> of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equalsIgnoreCase(id)).findFirst();
    }
}
