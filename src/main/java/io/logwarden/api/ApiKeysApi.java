package io.logwarden.api;

import io.logwarden.store.ApiKeyService;
import io.logwarden.store.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API keys, managed by a signed-in operator only (no API key can manage keys). */
@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "API keys")
class ApiKeysApi {

    private final ApiKeyService keys;

    ApiKeysApi(ApiKeyService keys) {
        this.keys = keys;
    }

    /** @param scope read (reads the API) or write (also changes statuses and runs sources) */
    record CreateBody(String name, String scope) {
    }

    /** A key just created; {@code key} is shown this once. */
    record Created(long id, String name, String scope, String prefix, java.time.Instant createdAt, String key) {
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every API key (never the key itself) with its scope and last use; operators only")
    List<ApiKeyService.ApiKey> list() {
        return keys.list();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a key: {\"name\":\"ci\",\"scope\":\"read\"|\"write\"} → 201 with the key, shown once; operators only")
    ResponseEntity<Created> create(@RequestBody(required = false) CreateBody body, Authentication who) {
        if (body == null) {
            throw new InvalidParameterException("body", "the request body must be a JSON object with name and scope");
        }
        ApiKeyService.CreatedKey created = keys.create(body.name(), body.scope(), ApiDocs.who(who));
        ApiKeyService.ApiKey k = created.apiKey();
        return ResponseEntity.created(URI.create("/api/v1/api-keys/" + k.id()))
                .header("Cache-Control", "no-store")
                .body(new Created(k.id(), k.name(), k.scope(), k.prefix(), k.createdAt(), created.key()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key: refused from the next request on; operators only")
    ResponseEntity<Void> revoke(@PathVariable long id, Authentication who) {
        keys.revoke(id, ApiDocs.who(who));
        return ResponseEntity.noContent().build();
    }
}
