package io.agentserver.service.bus;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

/**
 * The two Lettuce connections of one {@link RedisEventBroker} and everything they need: shared client resources
 * and one client per connection, because the two connections want opposite behaviour while disconnected.
 * <ul>
 *   <li>pub/sub: commands issued while disconnected are queued and sent, in order, after the reconnect, and they
 *       never time out (Lettuce's default {@code TimeoutOptions.enabled()} would silently drop a queued SUBSCRIBE);</li>
 *   <li>publish: commands are rejected while disconnected and time out after the command timeout, so that a
 *       publisher learns of an outage at once and a stale message is never replayed later.</li>
 * </ul>
 */
final class RedisConnections implements RedisTransport {

    private static final System.Logger LOG = System.getLogger(RedisConnections.class.getName());
    static final String SUBSCRIBER_NAME = "agent-server-bus-sub";
    static final String PUBLISHER_NAME = "agent-server-bus-pub";
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final String address;
    private final ClientResources resources;
    private final RedisClient subscriberClient;
    private final RedisClient publisherClient;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final StatefulRedisConnection<String, String> publisher;

    /**
     * @throws IllegalArgumentException if the URI is missing or cannot be parsed
     * @throws IllegalStateException    if Redis cannot be reached now (Lettuce reconnects only what once connected)
     */
    RedisConnections(BrokerSettings settings) {
        String uri = settings.redisUri()
                .orElseThrow(() -> new IllegalArgumentException(BrokerSettings.REDIS_URI_KEY + " is not set"));
        RedisURI subscriberUri = RedisUris.forClient(uri, settings, SUBSCRIBER_NAME);
        RedisURI publisherUri = RedisUris.forClient(uri, settings, PUBLISHER_NAME);
        this.address = subscriberUri.getHost() + ":" + subscriberUri.getPort() + "/" + subscriberUri.getDatabase();
        this.resources = resources(settings);
        this.subscriberClient = RedisClient.create(resources, subscriberUri);
        this.subscriberClient.setOptions(asSubscriber(baseOptions(settings)).build());
        this.publisherClient = RedisClient.create(resources, publisherUri);
        this.publisherClient.setOptions(asPublisher(baseOptions(settings), settings).build());
        StatefulRedisPubSubConnection<String, String> sub = null;
        try {
            sub = subscriberClient.connectPubSub(StringCodec.UTF8);
            this.publisher = publisherClient.connect(StringCodec.UTF8);
        } catch (RuntimeException e) {
            if (sub != null) {
                sub.close();
            }
            shutdownClients();
            throw new IllegalStateException("Cannot connect to Redis at " + address, e);
        }
        this.subscriber = sub;
    }

    /** The client resources of one broker: two I/O threads, reconnects with exponential back-off. */
    static ClientResources resources(BrokerSettings settings) {
        return DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(BrokerSettings.RECONNECT_MIN_DELAY, settings.reconnectMaxDelay(),
                        2, TimeUnit.MILLISECONDS))
                .build();
    }

    /** host:port/database, without credentials: safe to log. */
    @Override
    public String address() {
        return address;
    }

    @Override
    public StatefulRedisPubSubConnection<String, String> subscriber() {
        return subscriber;
    }

    @Override
    public StatefulRedisConnection<String, String> publisher() {
        return publisher;
    }

    @Override
    public RedisClusterAsyncCommands<String, String> publishCommands() {
        return publisher.async();
    }

    @Override
    public Optional<ShardedSubscriber> shards() {
        return Optional.empty();
    }

    @Override
    public void close() {
        quietly(subscriber::close);
        quietly(publisher::close);
        shutdownClients();
    }

    private void shutdownClients() {
        shutdown(resources, subscriberClient, publisherClient);
    }

    /** Shuts the clients down, then the resources they share; what fails is logged at DEBUG, never thrown. */
    static void shutdown(ClientResources resources, AbstractRedisClient... clients) {
        for (AbstractRedisClient client : clients) {
            quietly(() -> client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT));
        }
        quietly(() -> resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(SHUTDOWN_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS));
    }

    /**
     * A subscription connection: commands issued while disconnected are queued, sent in order after the reconnect,
     * and never time out.
     */
    static <B extends ClientOptions.Builder> B asSubscriber(B builder) {
        builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build());
        return builder;
    }

    /** A publishing connection: commands are rejected while disconnected and time out after the command timeout. */
    static <B extends ClientOptions.Builder> B asPublisher(B builder, BrokerSettings settings) {
        builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()));
        return builder;
    }

    static ClientOptions.Builder baseOptions(BrokerSettings settings) {
        return baseOptions(ClientOptions.builder(), settings);
    }

    /** What every connection of the broker shares: reconnects, keep-alive, connect timeout, no maintenance probe. */
    static <B extends ClientOptions.Builder> B baseOptions(B builder, BrokerSettings settings) {
        builder.autoReconnect(true)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.connectTimeout())
                        .keepAlive(true)
                        .build())
                // a Redis Enterprise/Cloud feature; plain Redis answers the probe with an error and a log line
                .maintNotificationsConfig(MaintNotificationsConfig.disabled());
        return builder;
    }

    static void quietly(ThrowingAction action) {
        try {
            action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "Ignored while closing Redis connections", e);
        }
    }

    @FunctionalInterface
    interface ThrowingAction {
        void run() throws Exception;
    }
}
