package io.logwarden.detect;

import java.util.List;

/**
 * What {@link SessionDetector} concluded about one session.
 *
 * @param session   the session key (for example a block id)
 * @param anomalous true when the score reaches 50 (the Medium severity band)
 * @param score     0–99, comparable with the other detectors' scores (see {@link SessionDetector})
 * @param reasons   for people, strongest first: rare templates, broken count relations, the isolation
 *                  forest score and the counts that made it; empty when nothing stood out
 * @param events    number of events observed for the session
 * @param templates distinct templates in the session, as {@code id ×count}, most frequent first
 * @param evidence  raw lines: the first line of the session and the first line of every template a
 *                  reason names
 */
public record SessionVerdict(String session, boolean anomalous, double score, List<String> reasons,
        int events, List<String> templates, List<String> evidence) {

    public SessionVerdict {
        reasons = List.copyOf(reasons);
        templates = List.copyOf(templates);
        evidence = List.copyOf(evidence);
    }
}
