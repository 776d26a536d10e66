package io.logwarden.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * API keys: created by an operator (the dashboard's /api-keys page or {@code POST /api/v1/api-keys}), shown once,
 * stored as a SHA-256 hash with their last use, revoked at once. A {@code read} key reads the API; a {@code write}
 * key also changes statuses and runs sources; no key manages keys.
 */
@Service
public class ApiKeyService {

    /** Keys start with this, so that a leaked one is recognisable (and secret scanners can match it). */
    public static final String PREFIX = "lwk_";
    public static final List<String> SCOPES = List.of("read", "write");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._:@/-]{1,100}");
    /** Last use is written at most this often per key. */
    private static final Duration LAST_USE_EVERY = Duration.ofSeconds(30);

    /**
     * A key as lists show it: never the key itself.
     *
     * @param prefix the key's first characters, to tell keys apart
     */
    public record ApiKey(long id, String name, String scope, String prefix, String createdBy, Instant createdAt,
                         Instant lastUsedAt, String lastUsedFrom, Instant revokedAt, String revokedBy) {

        public boolean active() {
            return revokedAt == null;
        }

        public boolean canWrite() {
            return "write".equals(scope);
        }
    }

    /** A key just created: {@code key} is shown this once and never again. */
    public record CreatedKey(ApiKey apiKey, String key) {
    }

    private final JdbcClient jdbc;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final Map<Long, Instant> lastWritten = new ConcurrentHashMap<>();

    public ApiKeyService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every key, active ones first, newest first. */
    public List<ApiKey> list() {
        return jdbc.sql("select * from api_keys order by revoked_at is not null, id desc").query(ApiKeyService::map).list();
    }

    public Optional<ApiKey> find(long id) {
        return jdbc.sql("select * from api_keys where id = :id").param("id", id).query(ApiKeyService::map).optional();
    }

    /**
     * Creates a key.
     *
     * @throws InvalidParameterException naming {@code name} or {@code scope}
     */
    public CreatedKey create(String name, String scope, String by) {
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            throw new InvalidParameterException("name", "name is required: 1 to 100 letters, digits, spaces or . _ : @ / -");
        }
        if (scope == null || !SCOPES.contains(scope)) {
            throw new InvalidParameterException("scope", "scope must be read or write"
                    + (scope == null ? "" : ", was '" + scope + "'"));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = jdbc.sql("""
                insert into api_keys (name, scope, prefix, hash, created_by) values (:name, :scope, :prefix, :hash, :by)
                returning id""")
                .param("name", n).param("scope", scope).param("prefix", key.substring(0, PREFIX.length() + 6))
                .param("hash", hash(key)).param("by", by)
                .query(Long.class).single();
        return new CreatedKey(find(id).orElseThrow(), key);
    }

    /**
     * Revokes a key: it is refused from the next request on. Revoking a revoked key changes nothing.
     *
     * @throws NotFoundException for an unknown id
     */
    public ApiKey revoke(long id, String by) {
        jdbc.sql("update api_keys set revoked_at = now(), revoked_by = :by where id = :id and revoked_at is null")
                .param("by", by).param("id", id).update();
        return find(id).orElseThrow(() -> new NotFoundException("API key", id));
    }

    /** The active key matching what a client presented, its last use recorded; empty for an unknown or revoked key. */
    public Optional<ApiKey> authenticate(String presented, String from) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
            return Optional.empty();
        }
        Optional<ApiKey> key = jdbc.sql("select * from api_keys where hash = :hash and revoked_at is null")
                .param("hash", hash(presented)).query(ApiKeyService::map).optional();
        key.ifPresent(k -> {
            Instant now = clock.instant();
            Instant written = lastWritten.get(k.id());
            if (written == null || written.plus(LAST_USE_EVERY).isBefore(now)) {
                lastWritten.put(k.id(), now);
                jdbc.sql("update api_keys set last_used_at = now(), last_used_from = :from where id = :id")
                        .param("from", from).param("id", k.id()).update();
            }
        });
        return key;
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiKey map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new ApiKey(rs.getLong("id"), rs.getString("name"), rs.getString("scope"), rs.getString("prefix"),
                rs.getString("created_by"), AnomalyQueries.instant(rs, "created_at"),
                AnomalyQueries.instant(rs, "last_used_at"), rs.getString("last_used_from"),
                AnomalyQueries.instant(rs, "revoked_at"), rs.getString("revoked_by"));
    }
}
