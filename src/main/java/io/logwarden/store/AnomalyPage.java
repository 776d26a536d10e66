package io.logwarden.store;

import java.util.List;

/**
 * One page of an anomaly list and the cursor of the next (null on the last page).
 *
 * @param items       the anomalies
 * @param nextCursor  pass it back to get the following page; it carries the sort it was made for
 * @param sort        the order of the list
 */
public record AnomalyPage(List<AnomalySummary> items, String nextCursor, String sort) {
}
