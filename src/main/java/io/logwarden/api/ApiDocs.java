package io.logwarden.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;

/** The OpenAPI description served at /v3/api-docs (and shown by the Swagger UI at /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

    @Bean
    OpenAPI logwardenOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Logwarden API").version("v1")
                        .description("Jobs, anomalies, reports, sources, templates and quarantined records. Send an API key"
                                + " as Authorization: Bearer <key> or X-API-Key: <key> (a read key reads, a write key also"
                                + " changes statuses and runs sources), or sign in as the operator. Errors are"
                                + " application/problem+json; over the rate limit, 429 with Retry-After."))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"))
                        .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key"))
                        .addSecuritySchemes("operator", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"))
                .addSecurityItem(new SecurityRequirement().addList("operator"));
    }

    /** Every operation may answer these, always as {@code application/problem+json}. */
    @Bean
    org.springdoc.core.customizers.OpenApiCustomizer problemResponses() {
        return api -> {
            io.swagger.v3.oas.models.media.Schema<?> problem = new io.swagger.v3.oas.models.media.ObjectSchema()
                    .addProperty("type", new io.swagger.v3.oas.models.media.StringSchema())
                    .addProperty("title", new io.swagger.v3.oas.models.media.StringSchema())
                    .addProperty("status", new io.swagger.v3.oas.models.media.IntegerSchema())
                    .addProperty("detail", new io.swagger.v3.oas.models.media.StringSchema())
                    .addProperty("parameter", new io.swagger.v3.oas.models.media.StringSchema()
                            .description("with 400: the parameter that was refused"));
            api.getComponents().addSchemas("Problem", problem);
            java.util.Map<String, String> answers = new java.util.LinkedHashMap<>();
            answers.put("400", "a parameter or the body is not valid (the problem names it)");
            answers.put("401", "no sign-in, or an unknown or revoked API key");
            answers.put("403", "the key's scope does not allow it, or a browser's CSRF token is missing");
            answers.put("404", "no such id");
            answers.put("429", "over the rate limit: retry after Retry-After seconds");
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().values().forEach(path -> path.readOperations().forEach(op -> answers.forEach((code, text) -> {
                if (op.getResponses() != null && !op.getResponses().containsKey(code)) {
                    op.getResponses().addApiResponse(code, new io.swagger.v3.oas.models.responses.ApiResponse()
                            .description(text)
                            .content(new io.swagger.v3.oas.models.media.Content().addMediaType("application/problem+json",
                                    new io.swagger.v3.oas.models.media.MediaType().schema(
                                            new io.swagger.v3.oas.models.media.Schema<>().$ref("#/components/schemas/Problem")))));
                }
            })));
        };
    }

    /** Who made a request, as status changes and keys record it. */
    static String who(Authentication auth) {
        return auth == null ? "anonymous" : auth.getName();
    }
}
