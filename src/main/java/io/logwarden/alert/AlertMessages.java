package io.logwarden.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.AlertProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * What the channel routes in routes/alerts/ call: each renders the alert (the JSON document of {@link AlertPayloads},
 * the exchange's body) for its channel and sets the headers its endpoint needs. The channel's settings are exchange
 * properties ({@link #CHANNEL}), never headers, so no setting (a secret) can leak into a request. It is also the
 * alert routes' HTTP client: the channel timeout, and no retries of its own (the outbox retries).
 */
@Component("alertMessages")
public class AlertMessages implements HttpClientConfigurer {

    /** Exchange property: the {@link AlertProperties.Channel} being sent to. */
    public static final String CHANNEL = "logwardenAlertChannel";
    /** The webhook signature header: {@code sha256=<hex HMAC-SHA256 of the body with the channel's secret>}. */
    public static final String SIGNATURE = "X-Logwarden-Signature";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final ObjectMapper json;
    private final AlertProperties props;

    public AlertMessages(ObjectMapper json, AlertProperties props) {
        this.json = json;
        this.props = props;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        Timeout timeout = Timeout.of(props.timeout());
        builder.disableAutomaticRetries().setDefaultRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(timeout).setResponseTimeout(timeout).build());
    }

    /** Webhook: the alert JSON as is, signed when the channel has a secret. */
    public String webhook(Exchange exchange) {
        String body = exchange.getIn().getBody(String.class);
        AlertProperties.Channel channel = channel(exchange);
        post(exchange, channel);
        if (channel.secret() != null && !channel.secret().isEmpty()) {
            exchange.getIn().setHeader(SIGNATURE, "sha256=" + sign(channel.secret(), body));
        }
        return body;
    }

    /** Slack incoming webhook: a text fallback and Block Kit sections. */
    public String slack(Exchange exchange) {
        Map<String, Object> a = alert(exchange);
        post(exchange, channel(exchange));
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", Map.of("type", "plain_text", "text", cut(headline(a), 150))));
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", cut(markdown(a), 2900))));
        blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", links(a)))));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("text", headline(a));
        message.put("blocks", blocks);
        return write(message);
    }

    /** Microsoft Teams incoming webhook (Workflows or connector): an Adaptive Card. */
    public String teams(Exchange exchange) {
        Map<String, Object> a = alert(exchange);
        post(exchange, channel(exchange));
        List<Object> body = new ArrayList<>();
        body.add(Map.of("type", "TextBlock", "size", "Medium", "weight", "Bolder", "wrap", true, "text", headline(a)));
        body.add(Map.of("type", "TextBlock", "wrap", true, "text", markdown(a)));
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", body);
        Map<?, ?> links = (Map<?, ?>) a.getOrDefault("links", Map.of());
        List<Object> actions = new ArrayList<>();
        if (links.get("report") != null) {
            actions.add(Map.of("type", "Action.OpenUrl", "title", "Report", "url", links.get("report")));
        }
        if (links.get("dashboard") != null) {
            actions.add(Map.of("type", "Action.OpenUrl", "title", "Dashboard", "url", links.get("dashboard")));
        }
        card.put("actions", actions);
        return write(Map.of("type", "message", "attachments",
                List.of(Map.of("contentType", "application/vnd.microsoft.card.adaptive", "content", card))));
    }

    /** E-mail: subject and addresses as headers, plain text body. */
    public String email(Exchange exchange) {
        Map<String, Object> a = alert(exchange);
        AlertProperties.Smtp smtp = channel(exchange).smtp();
        exchange.getIn().getHeaders().clear();
        exchange.getIn().setHeader("Subject", "[Logwarden] " + headline(a));
        exchange.getIn().setHeader("From", smtp.from());
        exchange.getIn().setHeader("To", String.join(",", smtp.to()));
        exchange.getIn().setHeader("contentType", "text/plain; charset=UTF-8");
        return markdown(a).replace("*", "") + "\n\n" + links(a).replace(" · ", "\n") + "\n";
    }

    /** The SMTP endpoint of the exchange's channel; the password is passed raw (never parsed, never logged). */
    public String smtpUri(Exchange exchange) {
        AlertProperties.Smtp smtp = channel(exchange).smtp();
        StringBuilder uri = new StringBuilder(smtp.tls() ? "smtps://" : "smtp://").append(smtp.host()).append(':')
                .append(smtp.port()).append("?connectionTimeout=").append(props.timeout().toMillis());
        if (smtp.username() != null && !smtp.username().isBlank()) {
            uri.append("&username=RAW(").append(smtp.username()).append(")&password=RAW(")
                    .append(smtp.password() == null ? "" : smtp.password()).append(')');
        }
        return uri.toString();
    }

    /** Kafka: the alert JSON, keyed by the incident's fingerprint (one partition per incident keeps its order). */
    public String kafka(Exchange exchange) {
        Map<String, Object> a = alert(exchange);
        AlertProperties.Channel channel = channel(exchange);
        exchange.getIn().getHeaders().clear();
        exchange.getIn().setHeader("kafka.KEY", String.valueOf(a.getOrDefault("fingerprint", a.get("kind"))));
        exchange.setProperty("logwardenAlertTopic", channel.topic());
        exchange.setProperty("logwardenAlertBrokers", channel.brokers());
        return exchange.getIn().getBody(String.class);
    }

    /** HMAC-SHA256 of the body with the secret, as lower-case hex. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static void post(Exchange exchange, AlertProperties.Channel channel) {
        exchange.getIn().getHeaders().clear();
        exchange.getIn().setHeader(Exchange.HTTP_URI, channel.url());
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
    }

    static String headline(Map<String, Object> a) {
        String kind = String.valueOf(a.get("kind"));
        if ("digest".equals(kind)) {
            return String.valueOf(a.get("title"));
        }
        String prefix = switch (kind) {
            case "update" -> "Still going: ";
            case "resolved" -> "";
            default -> "";
        };
        return "[" + a.get("severity") + "] " + prefix + a.get("title") + " (" + a.get("source") + ")";
    }

    /** The alert as short Markdown (Slack mrkdwn and Teams both read *bold* and - lists). */
    static String markdown(Map<String, Object> a) {
        StringBuilder s = new StringBuilder();
        if ("digest".equals(a.get("kind"))) {
            s.append(a.get("explanation")).append('\n');
            for (Object o : (List<?>) a.getOrDefault("alerts", List.of())) {
                Map<?, ?> held = (Map<?, ?>) o;
                s.append("- [").append(held.get("severity")).append("] ").append(held.get("kind")).append(": ")
                        .append(held.get("title")).append(" (").append(held.get("source")).append(")\n");
            }
            return s.toString();
        }
        Map<?, ?> window = (Map<?, ?>) a.getOrDefault("window", Map.of());
        s.append("*").append(a.get("kind")).append("* · score ").append(a.get("score")).append(" · ")
                .append(a.get("detector")).append(" · ").append(window.get("start")).append(" → ")
                .append(window.get("end")).append('\n');
        s.append(a.get("explanation")).append('\n');
        List<?> influencers = (List<?>) a.getOrDefault("influencers", List.of());
        if (!influencers.isEmpty()) {
            s.append("*Who and what:* ").append(String.join("; ", influencers.stream().map(String::valueOf).toList()))
                    .append('\n');
        }
        if (a.get("llmSummary") != null) {
            s.append("*Summary:* ").append(a.get("llmSummary")).append('\n');
        }
        List<?> evidence = (List<?>) a.getOrDefault("evidence", List.of());
        if (!evidence.isEmpty()) {
            s.append("*Evidence:*\n");
            evidence.forEach(e -> s.append("- ").append(cut(String.valueOf(e), 300)).append('\n'));
        }
        return s.toString();
    }

    private static String links(Map<String, Object> a) {
        Map<?, ?> links = (Map<?, ?>) a.getOrDefault("links", Map.of());
        List<String> parts = new ArrayList<>();
        if (links.get("report") != null) {
            parts.add("Report: " + links.get("report"));
        }
        if (links.get("dashboard") != null) {
            parts.add("Dashboard: " + links.get("dashboard"));
        }
        return parts.isEmpty() ? "Logwarden" : String.join(" · ", parts);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static AlertProperties.Channel channel(Exchange exchange) {
        return exchange.getProperty(CHANNEL, AlertProperties.Channel.class);
    }

    private Map<String, Object> alert(Exchange exchange) {
        try {
            return json.readValue(exchange.getIn().getBody(String.class), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
