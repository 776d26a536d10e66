package io.logwarden.web;

import io.logwarden.store.ApiKeyService;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request made with an API key: named {@code api-key:<name>} (what status changes record as who), with the
 * authorities {@code SCOPE_read} and, for a write key, {@code SCOPE_write}. Never an operator role.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    public static final String READ = "SCOPE_read";
    public static final String WRITE = "SCOPE_write";

    private final ApiKeyService.ApiKey key;

    ApiKeyAuthentication(ApiKeyService.ApiKey key) {
        super(key.canWrite() ? List.of(new SimpleGrantedAuthority(READ), new SimpleGrantedAuthority(WRITE))
                : List.of(new SimpleGrantedAuthority(READ)));
        this.key = key;
        setAuthenticated(true);
    }

    public ApiKeyService.ApiKey key() {
        return key;
    }

    @Override
    public Object getCredentials() {
        return ""; // the key itself is never kept past the look-up
    }

    @Override
    public Object getPrincipal() {
        return getName();
    }

    @Override
    public String getName() {
        return "api-key:" + key.name();
    }
}
