package io.agentserver.service.bus;

import java.util.Locale;

/** How {@code redis.uri} is read: one Redis server, or the seed nodes of a Redis Cluster. */
public enum RedisMode {
    /** One server (or a proxy in front of several): {@code PUBLISH}/{@code SUBSCRIBE} on one connection. */
    STANDALONE,
    /** A Redis Cluster: exact channels are sharded ({@code SPUBLISH}/{@code SSUBSCRIBE}) and follow their slot. */
    CLUSTER;

    /** {@code standalone} or {@code cluster}, any case. */
    public static RedisMode parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "standalone" -> STANDALONE;
            case "cluster" -> CLUSTER;
            default -> throw new IllegalArgumentException(
                    BrokerSettings.MODE_KEY + " must be standalone or cluster, was " + value);
        };
    }
}
