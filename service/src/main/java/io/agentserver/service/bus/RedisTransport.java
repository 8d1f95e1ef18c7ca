package io.agentserver.service.bus;

import java.util.Optional;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The Redis connections behind one {@link RedisEventBroker}: one Redis ({@link RedisConnections}) or a Redis Cluster
 * ({@link RedisClusterConnections}). The broker only sees what both have in common.
 */
interface RedisTransport extends AutoCloseable {

    /** Where it is connected, without credentials: safe to log. */
    String address();

    /** The pub/sub connection for {@code SUBSCRIBE} and {@code PSUBSCRIBE} (and, on one Redis, {@code SSUBSCRIBE}). */
    StatefulRedisPubSubConnection<String, String> subscriber();

    /** The connection publishes go through; rejects commands while disconnected. */
    StatefulConnection<String, String> publisher();

    /** {@code PUBLISH} and {@code SPUBLISH} on {@link #publisher()} (a cluster routes each by its slot). */
    RedisClusterAsyncCommands<String, String> publishCommands();

    /** On a Redis Cluster: the sharded subscriptions, which follow their slot from node to node. */
    Optional<ShardedSubscriber> shards();

    @Override
    void close();
}
