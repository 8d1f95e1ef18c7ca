package io.agentserver.service.autogpt.lookup;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * Where AutoGPT's PostgreSQL is, for the graph lookup ({@code autogpt.database.*}).
 *
 * @param url       JDBC URL ({@code AUTOGPT_DATABASE_URL}, e.g. {@code jdbc:postgresql://db:5432/postgres}); empty
 *                  means no lookup: executions of AutoGPT's executors cannot be resolved (the classic scheme needs
 *                  none)
 * @param username  {@code AUTOGPT_DATABASE_USERNAME}
 * @param password  {@code AUTOGPT_DATABASE_PASSWORD}; never printed
 * @param schema    {@code AUTOGPT_DATABASE_SCHEMA}, AutoGPT's {@code DB_SCHEMA}; a plain identifier
 * @param poolSize  connections kept open at most
 * @param timeout   longest wait for a connection and for the query
 * @param cacheSize executions whose graph is kept in memory
 * @param cacheTtl  how long a resolved execution stays cached (a deleted one keeps resolving this long)
 */
public record AutoGptDatabaseSettings(Optional<String> url, Optional<String> username, Optional<String> password,
                                      String schema, int poolSize, Duration timeout, int cacheSize,
                                      Duration cacheTtl) {

    public static final String DEFAULT_SCHEMA = "platform";
    public static final int DEFAULT_POOL_SIZE = 2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(10);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public AutoGptDatabaseSettings {
        url = Objects.requireNonNull(url, "url").map(String::strip).filter(u -> !u.isEmpty());
        username = Objects.requireNonNull(username, "username").filter(u -> !u.isBlank());
        password = Objects.requireNonNull(password, "password").filter(p -> !p.isEmpty());
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("autogpt.database.schema must be a plain identifier, was " + schema);
        }
        if (poolSize < 1 || cacheSize < 1 || timeout.isNegative() || timeout.isZero() || cacheTtl.isNegative()) {
            throw new IllegalArgumentException("autogpt.database pool-size, cache-size and timeout must be positive");
        }
    }

    /** Reads {@code autogpt.database.*}; every default is named above. */
    public static AutoGptDatabaseSettings from(Config config) {
        Config d = config.get("autogpt.database");
        return new AutoGptDatabaseSettings(
                d.get("url").asString().asOptional(),
                d.get("username").asString().asOptional(),
                d.get("password").asString().asOptional(),
                d.get("schema").asString().orElse(DEFAULT_SCHEMA),
                d.get("pool-size").asInt().orElse(DEFAULT_POOL_SIZE),
                d.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT),
                d.get("cache-size").asInt().orElse(DEFAULT_CACHE_SIZE),
                d.get("cache-ttl").as(Duration.class).orElse(DEFAULT_CACHE_TTL));
    }

    /** No AutoGPT database. */
    public static AutoGptDatabaseSettings none() {
        return new AutoGptDatabaseSettings(Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_SCHEMA,
                DEFAULT_POOL_SIZE, DEFAULT_TIMEOUT, DEFAULT_CACHE_SIZE, DEFAULT_CACHE_TTL);
    }

    public boolean configured() {
        return url.isPresent();
    }

    /** The JDBC URL without its query string (which may hold a password): safe to log. */
    public String safeUrl() {
        return url.map(u -> u.contains("?") ? u.substring(0, u.indexOf('?')) : u).orElse("");
    }

    @Override
    public String toString() {
        return "AutoGptDatabaseSettings[url=" + safeUrl() + ", username=" + username.orElse("") + ", password="
                + (password.isPresent() ? "***" : "") + ", schema=" + schema + ", poolSize=" + poolSize + ", timeout="
                + timeout + ", cacheSize=" + cacheSize + ", cacheTtl=" + cacheTtl + "]";
    }
}
