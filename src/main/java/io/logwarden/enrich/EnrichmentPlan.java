package io.logwarden.enrich;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.DetectionResult;
import io.logwarden.detect.Enrichment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One job's enrichment in progress: the calls still to make, and what is known so far about each anomaly. Lives in
 * the {@code enrich} route's exchange (property {@code llmPlan}); the route loops while {@link #hasNext()}. Not
 * thread-safe: one exchange, one thread.
 */
public final class EnrichmentPlan {

    enum Purpose { EXPLAIN, CLASSIFY }

    /** One call to make: explain anomaly {@code index}, or classify the candidate templates. */
    record Request(Purpose purpose, int index, List<ChatMessage> messages, int attempt) {

        Request retry() {
            return new Request(purpose, index, messages, attempt + 1);
        }

        int promptChars() {
            return messages.stream().mapToInt(m -> m instanceof UserMessage u ? u.singleText().length()
                    : m instanceof SystemMessage s ? s.text().length() : 0).sum();
        }
    }

    /** A new template the semantic check may judge, with the new-template anomaly it came from. */
    record Candidate(Anomaly.Contributor template, Anomaly parent) {
    }

    final DetectionResult result;
    final long jobId;
    final Enrichment[] outcomes;
    final Deque<Request> pending = new ArrayDeque<>();
    final Map<String, Candidate> candidates = new LinkedHashMap<>();
    final Map<String, LlmAnswers.Verdict> verdicts = new LinkedHashMap<>();
    final Map<String, Boolean> verdictCached = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    /** Why no more calls may be made (the budget), given the calls this job made; null while they may. */
    private final IntFunction<String> budget;
    int calls;
    Request current;

    EnrichmentPlan(DetectionResult result, long jobId, IntFunction<String> budget) {
        this.result = result;
        this.jobId = jobId;
        this.budget = budget;
        this.outcomes = new Enrichment[result.anomalies().size()];
    }

    /** True while a call is to be made and the budget allows it; when it does not, what is left is skipped. */
    public boolean hasNext() {
        if (pending.isEmpty()) {
            return false;
        }
        String exhausted = budget.apply(calls);
        if (exhausted != null) {
            while (!pending.isEmpty()) {
                settle(pending.poll(), Enrichment.skipped(exhausted));
            }
            return false;
        }
        return true;
    }

    /** A call ended without an answer to use: the anomaly (or the semantic check) records why. */
    void settle(Request request, Enrichment outcome) {
        if (request.purpose() == Purpose.EXPLAIN) {
            outcomes[request.index()] = outcome;
        } else {
            notes.add("semantic check " + outcome.status() + ": " + outcome.reason());
        }
    }
}
