package io.agentserver.service.bus;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * How to build the {@link EventBroker}: in memory (no {@code redis.uri}) or Redis.
 *
 * @param redisUri          e.g. {@code redis://localhost:6379} or {@code redis://:password@host:6379/0}; empty means
 *                          the in-memory broker (a single replica)
 * @param commandTimeout    how long {@code publish} and {@code subscribe} wait for Redis before giving up
 * @param connectTimeout    how long one connection attempt may take
 * @param reconnectMaxDelay upper bound of the exponential back-off between reconnect attempts
 * @param redisUsername     ACL user ({@code redis.username}, env {@code REDIS_USERNAME}); empty means the default user
 * @param redisPassword     password ({@code redis.password}, env {@code REDIS_PASSWORD}), taken as is: unlike a
 *                          password inside the URI it needs no URL encoding; overrides one in the URI
 */
public record BrokerSettings(Optional<String> redisUri,
                             Duration commandTimeout,
                             Duration connectTimeout,
                             Duration reconnectMaxDelay,
                             Optional<String> redisUsername,
                             Optional<String> redisPassword) {

    /** Config key of the Redis URI; the environment variable {@code REDIS_URI} maps to it. */
    public static final String REDIS_URI_KEY = "redis.uri";
    public static final String COMMAND_TIMEOUT_KEY = "redis.command-timeout";
    public static final String CONNECT_TIMEOUT_KEY = "redis.connect-timeout";
    public static final String RECONNECT_MAX_DELAY_KEY = "redis.reconnect-max-delay";
    public static final String USERNAME_KEY = "redis.username";
    public static final String PASSWORD_KEY = "redis.password";

    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(5);
    /** Lower bound of the reconnect back-off: the first attempt waits this long. */
    public static final Duration RECONNECT_MIN_DELAY = Duration.ofMillis(100);

    public BrokerSettings {
        Objects.requireNonNull(redisUri, "redisUri");
        redisUri = redisUri.map(String::strip).filter(uri -> !uri.isEmpty());
        commandTimeout = positive(commandTimeout, COMMAND_TIMEOUT_KEY);
        connectTimeout = positive(connectTimeout, CONNECT_TIMEOUT_KEY);
        reconnectMaxDelay = positive(reconnectMaxDelay, RECONNECT_MAX_DELAY_KEY);
        redisUsername = Objects.requireNonNull(redisUsername, USERNAME_KEY).filter(name -> !name.isBlank());
        redisPassword = Objects.requireNonNull(redisPassword, PASSWORD_KEY).filter(password -> !password.isEmpty());
    }

    /** Reads {@code redis.*} from the root config; every default is named above. */
    public static BrokerSettings from(Config config) {
        return new BrokerSettings(
                config.get(REDIS_URI_KEY).asString().asOptional(),
                config.get(COMMAND_TIMEOUT_KEY).as(Duration.class).orElse(DEFAULT_COMMAND_TIMEOUT),
                config.get(CONNECT_TIMEOUT_KEY).as(Duration.class).orElse(DEFAULT_CONNECT_TIMEOUT),
                config.get(RECONNECT_MAX_DELAY_KEY).as(Duration.class).orElse(DEFAULT_RECONNECT_MAX_DELAY),
                config.get(USERNAME_KEY).asString().asOptional(),
                config.get(PASSWORD_KEY).asString().asOptional());
    }

    /** The single-node default. */
    public static BrokerSettings inMemory() {
        return new BrokerSettings(Optional.empty(), DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_RECONNECT_MAX_DELAY, Optional.empty(), Optional.empty());
    }

    /** Redis at {@code uri} with default timeouts; credentials, if any, from the URI. */
    public static BrokerSettings redis(String uri) {
        return new BrokerSettings(Optional.of(uri), DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_RECONNECT_MAX_DELAY, Optional.empty(), Optional.empty());
    }

    public BrokerSettings withCommandTimeout(Duration timeout) {
        return new BrokerSettings(redisUri, timeout, connectTimeout, reconnectMaxDelay, redisUsername, redisPassword);
    }

    /** The same settings with a separate user name (empty for the default user) and password. */
    public BrokerSettings withCredentials(Optional<String> username, String password) {
        return new BrokerSettings(redisUri, commandTimeout, connectTimeout, reconnectMaxDelay, username,
                Optional.of(password));
    }

    public boolean usesRedis() {
        return redisUri.isPresent();
    }

    private static Duration positive(Duration value, String key) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
        return value;
    }

    /** Never prints the password, neither the separate one nor one inside the URI. */
    @Override
    public String toString() {
        return "BrokerSettings[redisUri=" + io.agentserver.service.secrets.Redacted.url(redisUri)
                + ", commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout
                + ", reconnectMaxDelay=" + reconnectMaxDelay + ", redisUsername=" + redisUsername.orElse("<default>")
                + ", redisPassword=" + io.agentserver.service.secrets.Redacted.presence(redisPassword) + "]";
    }
}
