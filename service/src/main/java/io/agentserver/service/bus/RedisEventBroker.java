package io.agentserver.service.bus;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

/**
 * The broker across replicas, on Redis pub/sub through Lettuce. Per instance (one per replica) it holds exactly one
 * pub/sub connection for all subscriptions and one regular connection for {@code PUBLISH}. A channel or pattern is
 * subscribed at Redis when its first local listener arrives and unsubscribed after the last one leaves.
 *
 * <p><b>Threads.</b> Listeners run on Lettuce's event-loop thread, one message at a time, in the order Redis sent
 * them; they must not block. A listener may publish or (un)subscribe: from inside a callback those calls do not wait
 * for Redis (waiting there would stall the very thread that reads the reply).
 *
 * <p><b>Outages.</b> Lettuce reconnects with exponential back-off and re-subscribes what the connection had;
 * this broker also re-issues its own channel and pattern sets after each reconnect, and (un)subscriptions made
 * during an outage are queued and sent once Redis is back. Messages published while a replica is disconnected are
 * lost for it, as Redis pub/sub is fire-and-forget: consumers recover from the store. {@link #publish} during an
 * outage fails fast (the publish connection rejects commands while disconnected) and at worst after the command
 * timeout; it never throws.
 *
 * <p>If Redis cannot be reached when the broker is created, the constructor throws: Lettuce retries only
 * connections that were once established.
 */
public final class RedisEventBroker implements EventBroker {

    private static final System.Logger LOG = System.getLogger(RedisEventBroker.class.getName());
    private static final String SUBSCRIBER_NAME = "agent-server-bus-sub";
    private static final String PUBLISHER_NAME = "agent-server-bus-pub";
    private static final int IO_THREADS = 2;
    private static final int COMPUTATION_THREADS = 2;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);
    /** True on a thread that is running one of our pub/sub callbacks (Lettuce's event loop). */
    private static final ThreadLocal<Boolean> IN_CALLBACK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final String address;
    private final Duration commandTimeout;
    private final ClientResources resources;
    private final RedisClient subscriberClient;
    private final RedisClient publisherClient;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final StatefulRedisConnection<String, String> publisher;

    /** Guards the registries together with the SUBSCRIBE/UNSUBSCRIBE they trigger; never held while waiting. */
    private final ReentrantLock lock = new ReentrantLock();
    private final ListenerRegistry channels = ListenerRegistry.forChannels();
    private final ListenerRegistry patterns = ListenerRegistry.forPatterns();
    /** Keys ("c:" or "p:" prefixed) whose UNSUBSCRIBE is in flight: late messages for them are expected. */
    private final Set<String> pendingUnsubscribes = ConcurrentHashMap.newKeySet();
    private final BrokerCounters counters = new BrokerCounters();

    private final Object stateLock = new Object();
    private boolean subscriberUp = true;
    private boolean publisherUp = true;
    private boolean reportedUp = true;
    private volatile boolean closed;

    /**
     * Connects both connections.
     *
     * @throws IllegalArgumentException if the settings have no Redis URI or it cannot be parsed
     * @throws IllegalStateException    if Redis cannot be reached now
     */
    public RedisEventBroker(BrokerSettings settings) {
        String uri = settings.redisUri()
                .orElseThrow(() -> new IllegalArgumentException(BrokerSettings.REDIS_URI_KEY + " is not set"));
        RedisURI subscriberUri = redisUri(uri, SUBSCRIBER_NAME, settings.commandTimeout());
        RedisURI publisherUri = redisUri(uri, PUBLISHER_NAME, settings.commandTimeout());
        this.address = subscriberUri.getHost() + ":" + subscriberUri.getPort() + "/" + subscriberUri.getDatabase();
        this.commandTimeout = settings.commandTimeout();
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(IO_THREADS)
                .computationThreadPoolSize(COMPUTATION_THREADS)
                .reconnectDelay(Delay.exponential(BrokerSettings.RECONNECT_MIN_DELAY, settings.reconnectMaxDelay(),
                        2, TimeUnit.MILLISECONDS))
                .build();
        this.subscriberClient = RedisClient.create(resources, subscriberUri);
        this.subscriberClient.setOptions(subscriberOptions(settings));
        this.publisherClient = RedisClient.create(resources, publisherUri);
        this.publisherClient.setOptions(publisherOptions(settings));
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
        subscriber.addListener(new Dispatcher());
        subscriber.addListener(new ConnectionWatch(true));
        publisher.addListener(new ConnectionWatch(false));
        LOG.log(Level.INFO, "Connected to Redis at {0} (one pub/sub connection, one publish connection)", address);
    }

    @Override
    public boolean publish(String channel, String message) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        if (closed || !publisher.isOpen()) {
            counters.publishFailed();
            return false;
        }
        RedisFuture<Long> reply;
        try {
            reply = publisher.async().publish(channel, message);
        } catch (RuntimeException e) {
            counters.publishFailed();
            LOG.log(Level.DEBUG, "PUBLISH to " + channel + " not dispatched", e);
            return false;
        }
        if (IN_CALLBACK.get()) {
            reply.whenComplete((receivers, error) -> {
                if (error == null) {
                    counters.published();
                } else {
                    counters.publishFailed();
                }
            });
            return true;
        }
        try {
            reply.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            counters.published();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            counters.publishFailed();
            return false;
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            counters.publishFailed();
            LOG.log(Level.DEBUG, "PUBLISH to " + channel + " failed", e);
            return false;
        }
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        return register(channels, channel, listener, false);
    }

    @Override
    public Subscription subscribePattern(String pattern, MessageListener listener) {
        return register(patterns, pattern, listener, true);
    }

    @Override
    public boolean isHealthy() {
        return !closed && subscriber.isOpen() && publisher.isOpen();
    }

    @Override
    public BrokerStats stats() {
        return counters.snapshot(channels.size(), patterns.size());
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            channels.clear();
            patterns.clear();
        } finally {
            lock.unlock();
        }
        quietly(subscriber::close);
        quietly(publisher::close);
        shutdownClients();
    }

    private Subscription register(ListenerRegistry registry, String key, MessageListener listener, boolean pattern) {
        Objects.requireNonNull(key, "channel or pattern");
        Objects.requireNonNull(listener, "listener");
        Registration registration = new Registration(listener);
        CompletableFuture<?> subscribed;
        lock.lock();
        try {
            if (closed) {
                return ListenerSubscription.closed();
            }
            ListenerRegistry.Topic topic = registry.add(key, registration);
            if (topic.size() == 1) {
                topic.transportState(pattern
                        ? subscriber.async().psubscribe(key).toCompletableFuture()
                        : subscriber.async().subscribe(key).toCompletableFuture());
            }
            subscribed = (CompletableFuture<?>) topic.transportState();
        } finally {
            lock.unlock();
        }
        awaitSubscribed(subscribed, key);
        return new ListenerSubscription(registration, r -> unregister(registry, key, r, pattern));
    }

    /** Waits (bounded) until Redis confirmed the subscription, so that messages published afterwards arrive. */
    private void awaitSubscribed(CompletableFuture<?> subscribed, String key) {
        if (subscribed == null || subscribed.isDone() && !subscribed.isCompletedExceptionally()) {
            return;
        }
        if (IN_CALLBACK.get() || !subscriber.isOpen()) {
            // no waiting on the event loop; during an outage the queued SUBSCRIBE goes out on reconnect
            return;
        }
        try {
            subscribed.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.log(Level.DEBUG, "Subscription to {0} not confirmed yet; it is sent when Redis is reachable", key);
        } catch (ExecutionException | CancellationException e) {
            LOG.log(Level.WARNING, "Redis refused the subscription to " + key, e);
        }
    }

    private void unregister(ListenerRegistry registry, String key, Registration registration, boolean pattern) {
        lock.lock();
        try {
            if (registry.remove(key, registration) && !closed) {
                unsubscribeAtRedis(key, pattern);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Must hold {@link #lock}. */
    private void unsubscribeAtRedis(String key, boolean pattern) {
        String pendingKey = pendingKey(key, pattern);
        pendingUnsubscribes.add(pendingKey);
        RedisFuture<Void> reply = pattern ? subscriber.async().punsubscribe(key) : subscriber.async().unsubscribe(key);
        reply.whenComplete((ignored, error) -> pendingUnsubscribes.remove(pendingKey));
    }

    /** A message for a key nobody here listens to: a subscription left over (e.g. restored on reconnect). */
    private void dropStraySubscription(String key, boolean pattern) {
        if (pendingUnsubscribes.contains(pendingKey(key, pattern))) {
            return;
        }
        lock.lock();
        try {
            ListenerRegistry registry = pattern ? patterns : channels;
            if (!closed && registry.topic(key) == null && !pendingUnsubscribes.contains(pendingKey(key, pattern))) {
                unsubscribeAtRedis(key, pattern);
            }
        } finally {
            lock.unlock();
        }
    }

    /** After a reconnect: make sure Redis has every channel and pattern we have (repeating one is harmless). */
    private void resubscribeAll() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            String[] channelKeys = channels.topics().stream().map(ListenerRegistry.Topic::key).toArray(String[]::new);
            String[] patternKeys = patterns.topics().stream().map(ListenerRegistry.Topic::key).toArray(String[]::new);
            if (channelKeys.length > 0) {
                subscriber.async().subscribe(channelKeys);
            }
            if (patternKeys.length > 0) {
                subscriber.async().psubscribe(patternKeys);
            }
        } finally {
            lock.unlock();
        }
    }

    private void dispatch(ListenerRegistry registry, String key, boolean pattern, String channel, String message) {
        counters.received();
        ListenerRegistry.Topic topic = registry.topic(key);
        if (topic == null) {
            dropStraySubscription(key, pattern);
            return;
        }
        IN_CALLBACK.set(Boolean.TRUE);
        try {
            for (Registration registration : topic.registrations()) {
                if (!registration.deliver(channel, message)) {
                    counters.listenerFailed();
                }
            }
        } finally {
            IN_CALLBACK.set(Boolean.FALSE);
        }
    }

    private void connectionChanged(boolean subscriberSide, boolean up) {
        boolean resubscribe;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            resubscribe = subscriberSide && up && !subscriberUp;
            if (subscriberSide) {
                subscriberUp = up;
            } else {
                publisherUp = up;
            }
            boolean nowUp = subscriberUp && publisherUp;
            if (nowUp != reportedUp) {
                reportedUp = nowUp;
                if (nowUp) {
                    counters.reconnected();
                    LOG.log(Level.INFO, "Reconnected to Redis at {0}", address);
                } else {
                    LOG.log(Level.WARNING, "Lost connection to Redis at {0}; reconnecting", address);
                }
            }
        }
        if (resubscribe) {
            resubscribeAll();
        }
    }

    private void shutdownClients() {
        quietly(() -> subscriberClient.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT));
        quietly(() -> publisherClient.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT));
        quietly(() -> resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(SHUTDOWN_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS));
    }

    private static String pendingKey(String key, boolean pattern) {
        return (pattern ? "p:" : "c:") + key;
    }

    private static RedisURI redisUri(String uri, String clientName, Duration timeout) {
        RedisURI redisUri = RedisURI.create(uri);
        if (redisUri.getClientName() == null) {
            redisUri.setClientName(clientName);
        }
        redisUri.setTimeout(timeout);
        return redisUri;
    }

    private static ClientOptions subscriberOptions(BrokerSettings settings) {
        return ClientOptions.builder()
                .autoReconnect(true)
                // (UN)SUBSCRIBE issued during an outage wait in the queue and go out, in order, after reconnect
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                // Lettuce times out every command by default; a queued SUBSCRIBE must never be dropped that way
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .socketOptions(socketOptions(settings))
                // a Redis Enterprise/Cloud feature; plain Redis answers the probe with an error (and a log line)
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build();
    }

    private static ClientOptions publisherOptions(BrokerSettings settings) {
        return ClientOptions.builder()
                .autoReconnect(true)
                // fail fast during an outage instead of replaying stale messages later
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(socketOptions(settings))
                // a Redis Enterprise/Cloud feature; plain Redis answers the probe with an error (and a log line)
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build();
    }

    private static SocketOptions socketOptions(BrokerSettings settings) {
        return SocketOptions.builder()
                .connectTimeout(settings.connectTimeout())
                .keepAlive(true)
                .build();
    }

    private static void quietly(ThrowingAction action) {
        try {
            action.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "Ignored while closing the Redis broker", e);
        }
    }

    @FunctionalInterface
    private interface ThrowingAction {
        void run() throws Exception;
    }

    /** Routes Redis messages to local listeners; runs on Lettuce's event loop. */
    private final class Dispatcher extends RedisPubSubAdapter<String, String> {

        @Override
        public void message(String channel, String message) {
            dispatch(channels, channel, false, channel, message);
        }

        @Override
        public void message(String pattern, String channel, String message) {
            dispatch(patterns, pattern, true, channel, message);
        }
    }

    /** Turns connection events into one WARNING on loss, one INFO on return, and a re-subscribe. */
    private final class ConnectionWatch implements RedisConnectionStateListener {

        private final boolean subscriberSide;

        ConnectionWatch(boolean subscriberSide) {
            this.subscriberSide = subscriberSide;
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            connectionChanged(subscriberSide, true);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            connectionChanged(subscriberSide, false);
        }
    }
}
