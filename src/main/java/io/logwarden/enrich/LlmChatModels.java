package io.logwarden.enrich;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.logwarden.config.LlmProperties;
import io.logwarden.config.LlmProperties.Provider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code llmChatModel} bean that the {@code enrich} route's langchain4j-chat endpoint calls, built from
 * {@code logwarden.llm.*}. The key comes from the environment and goes only into the provider client: it is never
 * logged (request logging stays off) and never part of a report.
 */
@Configuration(proxyBeanMethods = false)
class LlmChatModels {

    static final String KEY_VARIABLE = "LOGWARDEN_LLM_API_KEY";

    @Bean
    ChatModel llmChatModel(LlmProperties props, Environment env) {
        String key = apiKey(props.provider(), env);
        String baseUrl = props.baseUrl().isBlank() ? null : props.baseUrl();
        return switch (props.provider()) {
            case NONE -> new Disabled();
            case OPENAI, OPENAI_COMPATIBLE -> {
                if (props.provider() == Provider.OPENAI_COMPATIBLE && (baseUrl == null || props.model().isBlank())) {
                    throw new IllegalStateException(
                            "logwarden.llm.provider openai-compatible needs logwarden.llm.base-url and logwarden.llm.model");
                }
                yield OpenAiChatModel.builder()
                        .baseUrl(baseUrl)
                        .apiKey(requireKey(key, props.provider()))
                        .modelName(modelName(props))
                        .temperature(0.0)
                        .maxTokens(props.maxTokens())
                        .timeout(props.timeout())
                        .maxRetries(props.maxRetries())
                        .build();
            }
            case ANTHROPIC -> AnthropicChatModel.builder()
                    .baseUrl(baseUrl)
                    .apiKey(requireKey(key, props.provider()))
                    .modelName(modelName(props))
                    .temperature(0.0)
                    .maxTokens(props.maxTokens())
                    .timeout(props.timeout())
                    .maxRetries(props.maxRetries())
                    .build();
            case OLLAMA -> OllamaChatModel.builder()
                    .maxRetries(props.maxRetries())
                    .baseUrl(baseUrl == null ? "http://127.0.0.1:11434" : baseUrl)
                    .modelName(modelName(props))
                    .temperature(0.0)
                    .numPredict(props.maxTokens())
                    .timeout(props.timeout())
                    .build();
        };
    }

    /** What reports name as the model that answered: provider and model, e.g. {@code openai/gpt-4o-mini}. */
    static String modelName(LlmProperties props) {
        if (!props.model().isBlank()) {
            return props.model();
        }
        return switch (props.provider()) {
            case OPENAI -> "gpt-4o-mini";
            case ANTHROPIC -> "claude-3-5-haiku-latest";
            case OLLAMA -> "llama3.1";
            default -> "none";
        };
    }

    /** {@code LOGWARDEN_LLM_API_KEY}, else the provider's usual variable. Ollama needs none. */
    static String apiKey(Provider provider, Environment env) {
        String key = env.getProperty(KEY_VARIABLE);
        if (key == null || key.isBlank()) {
            key = switch (provider) {
                case OPENAI, OPENAI_COMPATIBLE -> env.getProperty("OPENAI_API_KEY");
                case ANTHROPIC -> env.getProperty("ANTHROPIC_API_KEY");
                default -> null;
            };
        }
        return key == null || key.isBlank() ? null : key.strip();
    }

    private static String requireKey(String key, Provider provider) {
        if (key != null) {
            return key;
        }
        if (provider == Provider.OPENAI_COMPATIBLE) {
            return "none"; // local servers (vLLM, LM Studio, llama.cpp) usually take any key
        }
        throw new IllegalStateException("logwarden.llm.provider " + provider.id() + " needs an API key: set "
                + KEY_VARIABLE + " or " + (provider == Provider.ANTHROPIC ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"));
    }

    /** Provider {@code none}: the route never calls it; if something did, it says why instead of calling out. */
    static final class Disabled implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            throw new IllegalStateException("LLM enrichment is off (logwarden.llm.provider: none)");
        }
    }
}
