package io.agentserver.service.bus;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * How to build the {@link EventBroker}: in memory (no {@code redis.uri}), one Redis, or a Redis Cluster.
 *
 * @param redisUri          e.g. {@code redis://localhost:6379} or {@code redis://:password@host:6379/0}; empty means
 *                          the in-memory broker (a single replica). In cluster mode a comma-separated list of seed
 *                          nodes ({@code redis://10.0.0.1:7000,redis://10.0.0.2:7000}); one reachable seed is enough
 * @param commandTimeout    how long {@code publish} and {@code subscribe} wait for Redis before giving up
 * @param connectTimeout    how long one connection attempt may take
 * @param reconnectMaxDelay upper bound of the exponential back-off between reconnect attempts
 * @param redisUsername     ACL user ({@code redis.username}, env {@code REDIS_USERNAME}); empty means the default user
 * @param redisPassword     password ({@code redis.password}, env {@code REDIS_PASSWORD}), taken as is: unlike a
 *                          password inside the URI it needs no URL encoding; overrides one in the URI
 * @param mode              {@code redis.mode}: {@link RedisMode#STANDALONE} (default) or {@link RedisMode#CLUSTER}
 * @param topologyRefresh   cluster mode: how often the slot map is read again, besides the reads that a redirect,
 *                          a lost node or a moved subscription trigger at once
 * @param replicaStandby    cluster mode: every sharded subscription is also held on the replicas of its slot's
 *                          master, so that a failover loses no message that reached the shard (the promoted
 *                          replica already delivers);
 *                          {@code false} halves the subscriptions and Redis's delivery work, and a failover then
 *                          loses what was published until the subscription moved
 */
public record BrokerSettings(Optional<String> redisUri,
                             Duration commandTimeout,
                             Duration connectTimeout,
                             Duration reconnectMaxDelay,
                             Optional<String> redisUsername,
                             Optional<String> redisPassword,
                             RedisMode mode,
                             Duration topologyRefresh,
                             boolean replicaStandby) {

    /** Config key of the Redis URI; the environment variable {@code REDIS_URI} maps to it. */
    public static final String REDIS_URI_KEY = "redis.uri";
    public static final String COMMAND_TIMEOUT_KEY = "redis.command-timeout";
    public static final String CONNECT_TIMEOUT_KEY = "redis.connect-timeout";
    public static final String RECONNECT_MAX_DELAY_KEY = "redis.reconnect-max-delay";
    public static final String USERNAME_KEY = "redis.username";
    public static final String PASSWORD_KEY = "redis.password";
    public static final String MODE_KEY = "redis.mode";
    public static final String TOPOLOGY_REFRESH_KEY = "redis.topology-refresh";
    public static final String REPLICA_STANDBY_KEY = "redis.replica-standby";

    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(5);
    /** Lower bound of the reconnect back-off: the first attempt waits this long. */
    public static final Duration RECONNECT_MIN_DELAY = Duration.ofMillis(100);
    public static final RedisMode DEFAULT_MODE = RedisMode.STANDALONE;
    public static final Duration DEFAULT_TOPOLOGY_REFRESH = Duration.ofSeconds(10);
    public static final boolean DEFAULT_REPLICA_STANDBY = true;

    public BrokerSettings {
        Objects.requireNonNull(redisUri, "redisUri");
        redisUri = redisUri.map(String::strip).filter(uri -> !uri.isEmpty());
        commandTimeout = positive(commandTimeout, COMMAND_TIMEOUT_KEY);
        connectTimeout = positive(connectTimeout, CONNECT_TIMEOUT_KEY);
        reconnectMaxDelay = positive(reconnectMaxDelay, RECONNECT_MAX_DELAY_KEY);
        redisUsername = Objects.requireNonNull(redisUsername, USERNAME_KEY).filter(name -> !name.isBlank());
        redisPassword = Objects.requireNonNull(redisPassword, PASSWORD_KEY).filter(password -> !password.isEmpty());
        Objects.requireNonNull(mode, MODE_KEY);
        topologyRefresh = positive(topologyRefresh, TOPOLOGY_REFRESH_KEY);
        if (mode == RedisMode.STANDALONE && redisUri.map(uri -> uri.contains(",")).orElse(false)) {
            throw new IllegalArgumentException(REDIS_URI_KEY + " lists several nodes; set " + MODE_KEY
                    + "=cluster (REDIS_MODE=cluster) for a Redis Cluster");
        }
    }

    /** Reads {@code redis.*} from the root config; every default is named above. */
    public static BrokerSettings from(Config config) {
        return new BrokerSettings(
                config.get(REDIS_URI_KEY).asString().asOptional(),
                config.get(COMMAND_TIMEOUT_KEY).as(Duration.class).orElse(DEFAULT_COMMAND_TIMEOUT),
                config.get(CONNECT_TIMEOUT_KEY).as(Duration.class).orElse(DEFAULT_CONNECT_TIMEOUT),
                config.get(RECONNECT_MAX_DELAY_KEY).as(Duration.class).orElse(DEFAULT_RECONNECT_MAX_DELAY),
                config.get(USERNAME_KEY).asString().asOptional(),
                config.get(PASSWORD_KEY).asString().asOptional(),
                config.get(MODE_KEY).asString().map(RedisMode::parse).orElse(DEFAULT_MODE),
                config.get(TOPOLOGY_REFRESH_KEY).as(Duration.class).orElse(DEFAULT_TOPOLOGY_REFRESH),
                config.get(REPLICA_STANDBY_KEY).asBoolean().orElse(DEFAULT_REPLICA_STANDBY));
    }

    /** The single-node default. */
    public static BrokerSettings inMemory() {
        return new BrokerSettings(Optional.empty(), DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_RECONNECT_MAX_DELAY, Optional.empty(), Optional.empty(), DEFAULT_MODE,
                DEFAULT_TOPOLOGY_REFRESH, DEFAULT_REPLICA_STANDBY);
    }

    /** Redis at {@code uri} with default timeouts; credentials, if any, from the URI. */
    public static BrokerSettings redis(String uri) {
        return new BrokerSettings(Optional.of(uri), DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_RECONNECT_MAX_DELAY, Optional.empty(), Optional.empty(), DEFAULT_MODE,
                DEFAULT_TOPOLOGY_REFRESH, DEFAULT_REPLICA_STANDBY);
    }

    /** A Redis Cluster reached through {@code seeds} (comma-separated node URIs), default timeouts. */
    public static BrokerSettings cluster(String seeds) {
        return new BrokerSettings(Optional.of(seeds), DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_RECONNECT_MAX_DELAY, Optional.empty(), Optional.empty(), RedisMode.CLUSTER,
                DEFAULT_TOPOLOGY_REFRESH, DEFAULT_REPLICA_STANDBY);
    }

    public BrokerSettings withCommandTimeout(Duration timeout) {
        return new BrokerSettings(redisUri, timeout, connectTimeout, reconnectMaxDelay, redisUsername, redisPassword,
                mode, topologyRefresh, replicaStandby);
    }

    /** The same settings with a separate user name (empty for the default user) and password. */
    public BrokerSettings withCredentials(Optional<String> username, String password) {
        return new BrokerSettings(redisUri, commandTimeout, connectTimeout, reconnectMaxDelay, username,
                Optional.of(password), mode, topologyRefresh, replicaStandby);
    }

    /** The same settings with sharded subscriptions held on replicas too ({@code true}) or on one node only. */
    public BrokerSettings withReplicaStandby(boolean standby) {
        return new BrokerSettings(redisUri, commandTimeout, connectTimeout, reconnectMaxDelay, redisUsername,
                redisPassword, mode, topologyRefresh, standby);
    }

    /** The same settings with another period between the slot map reads that nothing triggered. */
    public BrokerSettings withTopologyRefresh(Duration refresh) {
        return new BrokerSettings(redisUri, commandTimeout, connectTimeout, reconnectMaxDelay, redisUsername,
                redisPassword, mode, refresh, replicaStandby);
    }

    public boolean usesRedis() {
        return redisUri.isPresent();
    }

    public boolean cluster() {
        return mode == RedisMode.CLUSTER;
    }

    /** The URIs of {@code redis.uri}: one in standalone mode, the seed nodes in cluster mode. */
    public List<String> redisUris() {
        return redisUri.map(uris -> Arrays.stream(uris.split(","))
                        .map(String::strip)
                        .filter(uri -> !uri.isEmpty())
                        .toList())
                .orElse(List.of());
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
