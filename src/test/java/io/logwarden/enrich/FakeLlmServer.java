package io.logwarden.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An LLM provider on 127.0.0.1 speaking the OpenAI chat-completions ({@code POST /v1/chat/completions}) and
 * Anthropic messages ({@code POST /v1/messages}) wire formats. It records every request and answers from a script
 * of {@link Reply replies}, falling back to a default that answers whatever was asked validly.
 */
final class FakeLlmServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the server does for one request: an HTTP status, the assistant's text (or a raw body), a delay. */
    record Reply(int status, String assistantText, String rawBody, long delayMillis) {

        static Reply text(String assistantText) {
            return new Reply(200, assistantText, null, 0);
        }

        static Reply error(int status) {
            return new Reply(status, null, "{\"error\":{\"message\":\"fake failure " + status
                    + "\",\"type\":\"server_error\"}}", 0);
        }

        static Reply slow(long delayMillis, String assistantText) {
            return new Reply(200, assistantText, null, delayMillis);
        }
    }

    record Recorded(String method, String path, Map<String, List<String>> headers, JsonNode body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    static final String EXPLANATION = """
            {"summary": "Checkout failed against the payment gateway <b>bold</b>.",
             "probableCause": "The payment gateway refuses connections.",
             "recommendedActions": ["Check the gateway's status page", "Fail over to the backup gateway"],
             "severityAdjustment": 5}""";

    private final HttpServer server;
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    /** Answer to a classification request when the script is empty: id → verdict. */
    private volatile Function<JsonNode, String> classifier = ids -> "{\"templates\": []}";

    FakeLlmServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/chat/completions", ex -> handle(ex, false));
        server.createContext("/v1/messages", ex -> handle(ex, true));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    synchronized void enqueue(Reply... replies) {
        script.addAll(List.of(replies));
    }

    /** Template ids in the classification request → the assistant's JSON answer. */
    void classifyWith(Function<JsonNode, String> answer) {
        classifier = answer;
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    synchronized void reset() {
        script.clear();
        requests.clear();
        classifier = ids -> "{\"templates\": []}";
    }

    private void handle(HttpExchange ex, boolean anthropic) throws IOException {
        byte[] in = ex.getRequestBody().readAllBytes();
        JsonNode body = in.length == 0 ? JSON.nullNode() : JSON.readTree(in);
        requests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body));
        Reply reply;
        synchronized (this) {
            reply = script.poll();
        }
        if (reply == null) {
            reply = Reply.text(isClassification(body, anthropic) ? classifier.apply(templates(body, anthropic)) : EXPLANATION);
        }
        if (reply.delayMillis() > 0) {
            try {
                Thread.sleep(reply.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String out = reply.rawBody() != null ? reply.rawBody()
                : anthropic ? anthropicResponse(body, reply.assistantText()) : openAiResponse(body, reply.assistantText());
        byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        try {
            ex.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        } catch (IOException clientGone) {
            // the client timed out first: that is the point of a slow reply
        } finally {
            ex.close();
        }
    }

    static String systemText(JsonNode body, boolean anthropic) {
        if (anthropic) {
            JsonNode system = body.path("system");
            return system.isArray() ? system.path(0).path("text").asText() : system.asText();
        }
        return body.path("messages").path(0).path("content").asText();
    }

    static String userText(JsonNode body, boolean anthropic) {
        JsonNode messages = body.path("messages");
        JsonNode user = messages.get(messages.size() - 1).path("content");
        if (user.isArray()) {
            return user.path(0).path("text").asText();
        }
        return user.asText();
    }

    private static boolean isClassification(JsonNode body, boolean anthropic) {
        return systemText(body, anthropic).contains("triage");
    }

    /** The data section's JSON of a classification request. */
    private static JsonNode templates(JsonNode body, boolean anthropic) {
        String user = userText(body, anthropic);
        String data = user.substring(user.indexOf(Prompts.OPEN) + Prompts.OPEN.length(), user.indexOf(Prompts.CLOSE));
        try {
            return JSON.readTree(data).path("templates");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String openAiResponse(JsonNode request, String text) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake");
        root.put("object", "chat.completion");
        root.put("created", 1_760_000_000L);
        root.put("model", request.path("model").asText());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        choice.put("finish_reason", "stop");
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", 400);
        usage.put("completion_tokens", 120);
        usage.put("total_tokens", 520);
        return root.toString();
    }

    private static String anthropicResponse(JsonNode request, String text) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "msg_fake");
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", request.path("model").asText());
        ObjectNode content = root.putArray("content").addObject();
        content.put("type", "text");
        content.put("text", text);
        root.put("stop_reason", "end_turn");
        root.putNull("stop_sequence");
        ObjectNode usage = root.putObject("usage");
        usage.put("input_tokens", 400);
        usage.put("output_tokens", 120);
        return root.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
