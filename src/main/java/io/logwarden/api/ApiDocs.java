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

    /** Who made a request, as status changes and keys record it. */
    static String who(Authentication auth) {
        return auth == null ? "anonymous" : auth.getName();
    }
}
