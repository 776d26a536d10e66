package io.logwarden.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates what the LLM answered. Anything that is not the requested JSON is an {@link InvalidAnswer}
 * with a reason people can read; texts are cut to their documented lengths (the answer is untrusted text too).
 */
final class LlmAnswers {

    record Explanation(String summary, String probableCause, List<String> recommendedActions, Integer severityAdjustment) {
    }

    record Verdict(String id, boolean suspicious, double confidence, String reason) {
    }

    static final class InvalidAnswer extends Exception {
        InvalidAnswer(String reason) {
            super(reason);
        }
    }

    private final ObjectMapper json;

    LlmAnswers(ObjectMapper json) {
        this.json = json;
    }

    Explanation explanation(String answer) throws InvalidAnswer {
        JsonNode root = object(answer);
        String summary = text(root, "summary", 400, true);
        String cause = text(root, "probableCause", 400, true);
        JsonNode actionsNode = root.path("recommendedActions");
        if (!actionsNode.isArray() || actionsNode.isEmpty()) {
            throw new InvalidAnswer("recommendedActions is not a non-empty list");
        }
        List<String> actions = new ArrayList<>();
        for (JsonNode a : actionsNode) {
            if (!a.isTextual() || a.asText().isBlank()) {
                throw new InvalidAnswer("recommendedActions holds something other than text");
            }
            if (actions.size() < 5) {
                actions.add(cut(a.asText().strip(), 200));
            }
        }
        Integer adjustment = null;
        JsonNode adj = root.get("severityAdjustment");
        if (adj != null && !adj.isNull()) {
            if (!adj.isNumber()) {
                throw new InvalidAnswer("severityAdjustment is not a number");
            }
            adjustment = (int) Math.max(-20, Math.min(20, Math.round(adj.asDouble())));
        }
        return new Explanation(summary, cause, actions, adjustment);
    }

    /** Verdicts by template id; ids the question did not contain are dropped. */
    Map<String, Verdict> verdicts(String answer, List<String> askedIds) throws InvalidAnswer {
        JsonNode list = object(answer).path("templates");
        if (!list.isArray()) {
            throw new InvalidAnswer("templates is not a list");
        }
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (JsonNode v : list) {
            String id = v.path("id").asText("");
            if (!askedIds.contains(id)) {
                continue;
            }
            String verdict = v.path("verdict").asText("");
            if (!verdict.equals("benign") && !verdict.equals("suspicious")) {
                throw new InvalidAnswer("verdict for " + id + " is neither benign nor suspicious");
            }
            if (!v.path("confidence").isNumber()) {
                throw new InvalidAnswer("confidence for " + id + " is not a number");
            }
            double confidence = Math.max(0, Math.min(1, v.path("confidence").asDouble()));
            verdicts.put(id, new Verdict(id, verdict.equals("suspicious"), confidence,
                    cut(v.path("reason").asText("").strip(), 200)));
        }
        if (verdicts.isEmpty()) {
            throw new InvalidAnswer("no verdict for any template asked about");
        }
        return verdicts;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON object in the answer; a code fence or a sentence around it is tolerated. */
    private JsonNode object(String answer) throws InvalidAnswer {
        if (answer == null || answer.isBlank()) {
            throw new InvalidAnswer("empty answer");
        }
        int start = answer.indexOf('{');
        int end = answer.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new InvalidAnswer("answer holds no JSON object");
        }
        try {
            JsonNode node = json.readTree(answer.substring(start, end + 1));
            if (!node.isObject()) {
                throw new InvalidAnswer("answer is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidAnswer("answer is not valid JSON: " + cut(e.getOriginalMessage(), 120));
        }
    }

    private static String text(JsonNode root, String field, int max, boolean required) throws InvalidAnswer {
        JsonNode node = root.get(field);
        if (node == null || node.isNull() || !node.isTextual() || node.asText().isBlank()) {
            if (required) {
                throw new InvalidAnswer(field + " is missing or not text");
            }
            return null;
        }
        return cut(node.asText().strip(), max);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
