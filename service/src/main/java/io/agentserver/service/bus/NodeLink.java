package io.agentserver.service.bus;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * One pub/sub connection to one node of a Redis Cluster, holding the sharded subscriptions this replica has on that
 * node. It does not reconnect: a lost link is reported once and replaced, because what it held may have moved to
 * other nodes meanwhile. It tells apart the {@code sunsubscribe} replies to our own {@code SUNSUBSCRIBE} from the
 * ones Redis pushes when a slot leaves the node.
 */
final class NodeLink {

    /** What a link reports; called on Lettuce's event loop, must not block. */
    interface Events {
        void message(NodeLink link, String channel, String message);

        /** Redis pushed {@code sunsubscribe}: the channel's slot left this node. */
        void dropped(NodeLink link, String channel);

        void lost(NodeLink link);
    }

    private final String host;
    private final int port;
    private final String address;
    private final StatefulRedisPubSubConnection<String, String> connection;
    /** Per channel, how many {@code SUNSUBSCRIBE}s we sent whose reply has not come. */
    private final Map<String, Integer> ownUnsubscribes = new ConcurrentHashMap<>();
    private final AtomicBoolean lost = new AtomicBoolean();

    /** Connects now (blocking up to the connect timeout). */
    NodeLink(RedisClient client, RedisURI uri, Events events) {
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.address = host + ":" + port;
        this.connection = client.connectPubSub(StringCodec.UTF8, uri);
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void smessage(String channel, String message) {
                events.message(NodeLink.this, channel, message);
            }

            @Override
            public void sunsubscribed(String channel, long count) {
                if (!ownReply(channel)) {
                    events.dropped(NodeLink.this, channel);
                }
            }
        });
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress socketAddress) {
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (lost.compareAndSet(false, true)) {
                    events.lost(NodeLink.this);
                }
            }
        });
    }

    /** host:port */
    String address() {
        return address;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean usable() {
        return !lost.get() && connection.isOpen();
    }

    /** Completes when the node confirmed; fails with the node's error (e.g. {@code MOVED slot host:port}). */
    CompletableFuture<Void> subscribe(String channel) {
        return connection.async().ssubscribe(channel).toCompletableFuture();
    }

    /**
     * {@code CLUSTER NODES} as this node sees it, on this very connection (RESP3 allows commands besides
     * subscriptions): the node that just dropped a slot is the first to know where it went.
     */
    CompletableFuture<String> clusterNodes() {
        return connection.async().clusterNodes().toCompletableFuture();
    }

    void unsubscribe(String channel) {
        if (!usable()) {
            return;
        }
        ownUnsubscribes.merge(channel, 1, Integer::sum);
        connection.async().sunsubscribe(channel);
    }

    void close() {
        closing();
        connection.closeAsync();
    }

    /** The link's client is about to close it: losing it now is not news. */
    void closing() {
        lost.set(true);
    }

    private boolean ownReply(String channel) {
        boolean[] own = new boolean[1];
        ownUnsubscribes.computeIfPresent(channel, (key, count) -> {
            own[0] = true;
            return count == 1 ? null : count - 1;
        });
        return own[0];
    }

    @Override
    public String toString() {
        return address;
    }
}
