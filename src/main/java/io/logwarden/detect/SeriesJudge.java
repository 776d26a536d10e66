package io.logwarden.detect;

import java.util.List;

/**
 * A judge of a run of consecutive windows as a whole, not of one window against its baseline: a message that stopped
 * ({@link Drops}), a value that shifted ({@link ValueShifts}). {@link WindowSeries} asks it every half baseline of
 * closed windows and at the end; it remembers what it reported, so a finding seen again is not reported twice.
 */
interface SeriesJudge {

    /**
     * @param windows  consecutive windows (gaps filled with empty ones), in time order
     * @param complete true when the last window is the input's end (partial)
     */
    List<Anomaly> find(List<WindowStats> windows, boolean complete);
}
