package io.agentserver.service.store;

import io.helidon.config.Config;

/**
 * Where the database is and how to use it. Read once by {@link #from(Config)}, which names every
 * default; environment variables override through Helidon's usual mapping
 * ({@code DB_CONNECTION_URL} → {@code db.connection.url}, {@code XAGENT_GUEST_ENABLED} →
 * {@code xagent.guest.enabled}).
 *
 * @param url       JDBC URL; H2 ({@code jdbc:h2:…}) or PostgreSQL ({@code jdbc:postgresql:…})
 * @param username  database user
 * @param password  database password (never printed)
 * @param poolSize  maximum number of pooled connections
 * @param seedGuest whether to create XAgent's default {@code Guest}/{@code xagent} login at startup
 */
public record DatabaseSettings(String url, String username, String password, int poolSize, boolean seedGuest) {

    /** An embedded H2 file database under {@code ./data}, kept open until the pool closes. */
    public static final String DEFAULT_URL = "jdbc:h2:file:./data/agentserver;DB_CLOSE_ON_EXIT=FALSE";
    public static final String DEFAULT_USERNAME = "sa";
    public static final String DEFAULT_PASSWORD = "";
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final boolean DEFAULT_SEED_GUEST = true;

    public DatabaseSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database url is required");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("db.pool-size must be at least 1, got " + poolSize);
        }
        username = username == null ? DEFAULT_USERNAME : username;
        password = password == null ? DEFAULT_PASSWORD : password;
    }

    /** Reads {@code db.connection.*}, {@code db.pool-size} and {@code xagent.guest.enabled} from the root config. */
    public static DatabaseSettings from(Config config) {
        Config connection = config.get("db.connection");
        return new DatabaseSettings(
                connection.get("url").asString().orElse(DEFAULT_URL),
                connection.get("username").asString().orElse(DEFAULT_USERNAME),
                connection.get("password").asString().orElse(DEFAULT_PASSWORD),
                config.get("db.pool-size").asInt().orElse(DEFAULT_POOL_SIZE),
                config.get("xagent.guest.enabled").asBoolean().orElse(DEFAULT_SEED_GUEST));
    }

    public DatabaseSettings withSeedGuest(boolean seed) {
        return new DatabaseSettings(url, username, password, poolSize, seed);
    }

    /** The database product, as far as the URL tells: {@code h2}, {@code postgresql}, …. */
    public String vendor() {
        String[] parts = url.split(":", 3);
        return parts.length > 1 ? parts[1] : "unknown";
    }

    /** Without the password; the URL stays, since it names the database but may carry no secret we know of. */
    @Override
    public String toString() {
        return "DatabaseSettings[vendor=" + vendor() + ", username=" + username + ", poolSize=" + poolSize
                + ", seedGuest=" + seedGuest + "]";
    }
}
