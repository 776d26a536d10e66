package io.logwarden.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import io.logwarden.config.LlmProperties;
import io.logwarden.config.LlmProperties.Provider;
import io.logwarden.event.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The chat model bean per provider, against a fake server that checks the wire formats' paths, headers and bodies. */
class ProviderWireFormatTest {

    static final String KEY = "test-key-not-real";
    static final FakeLlmServer server = new FakeLlmServer();

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    static LlmProperties props(Provider provider, String baseUrl, String model) {
        return new LlmProperties(provider, baseUrl, model, Duration.ofSeconds(5), 0, Severity.HIGH, 20, 200,
                Duration.ofDays(7), 3, 600, false, new LlmProperties.Redaction(false, Map.of()),
                new LlmProperties.Semantic(true, 5));
    }

    static ChatModel model(LlmProperties props, MockEnvironment env) {
        return new LlmChatModels().llmChatModel(props, env);
    }

    @Test
    void openAiChatCompletionsWithBearerKey() {
        MockEnvironment env = new MockEnvironment().withProperty("OPENAI_API_KEY", KEY);
        ChatModel model = model(props(Provider.OPENAI, server.baseUrl(), ""), env);
        String answer = model.chat(List.of(SystemMessage.from("system text"), UserMessage.from("user text")))
                .aiMessage().text();
        assertThat(answer).contains("payment gateway");
        FakeLlmServer.Recorded r = server.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/chat/completions");
        assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(r.body().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(r.body().path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(r.body().path("messages").get(0).path("content").asText()).isEqualTo("system text");
        assertThat(r.body().path("messages").get(1).path("role").asText()).isEqualTo("user");
        assertThat(r.body().path("messages").get(1).path("content").asText()).isEqualTo("user text");
    }

    @Test
    void anthropicMessagesWithApiKeyAndVersionHeaders() {
        MockEnvironment env = new MockEnvironment().withProperty("ANTHROPIC_API_KEY", KEY);
        ChatModel model = model(props(Provider.ANTHROPIC, server.baseUrl() + "/", "claude-test"), env);
        String answer = model.chat(List.of(SystemMessage.from("system text"), UserMessage.from("user text")))
                .aiMessage().text();
        assertThat(answer).contains("payment gateway");
        FakeLlmServer.Recorded r = server.requests().get(0);
        assertThat(r.path()).isEqualTo("/v1/messages");
        assertThat(r.header("x-api-key")).isEqualTo(KEY);
        assertThat(r.header("anthropic-version")).isNotBlank();
        assertThat(r.header("Authorization")).isNull();
        assertThat(r.body().path("model").asText()).isEqualTo("claude-test");
        assertThat(r.body().path("max_tokens").asInt()).isEqualTo(600);
        assertThat(FakeLlmServer.systemText(r.body(), true)).isEqualTo("system text");
        assertThat(r.body().path("messages")).hasSize(1);
        assertThat(r.body().path("messages").get(0).path("role").asText()).isEqualTo("user");
        assertThat(FakeLlmServer.userText(r.body(), true)).isEqualTo("user text");
    }

    @Test
    void logwardenKeyWinsOverTheProvidersVariable() {
        MockEnvironment env = new MockEnvironment().withProperty("OPENAI_API_KEY", "other-key")
                .withProperty(LlmChatModels.KEY_VARIABLE, KEY);
        model(props(Provider.OPENAI_COMPATIBLE, server.baseUrl(), "local-model"), env)
                .chat(List.of(UserMessage.from("hi")));
        assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void aMissingKeyOrBaseUrlStopsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> model(props(Provider.OPENAI, "", ""), new MockEnvironment()))
                .hasMessageContaining("LOGWARDEN_LLM_API_KEY").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> model(props(Provider.OPENAI_COMPATIBLE, "", "m"), new MockEnvironment()))
                .hasMessageContaining("base-url");
        assertThatThrownBy(() -> model(props(Provider.NONE, "", ""), new MockEnvironment())
                .chat(List.of(UserMessage.from("hi")))).hasMessageContaining("off");
    }
}
