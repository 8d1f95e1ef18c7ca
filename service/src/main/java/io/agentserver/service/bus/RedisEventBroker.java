package io.agentserver.service.bus;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The broker across replicas, on Redis pub/sub through Lettuce, on one Redis or a Redis Cluster
 * ({@link BrokerSettings#mode()}).
 *
 * <p><b>One Redis.</b> Per instance (one per replica) exactly one pub/sub connection for all subscriptions (exact,
 * pattern and sharded) and one regular connection for publishing. A channel or pattern is subscribed at Redis when
 * its first local listener arrives and unsubscribed after the last one leaves.
 *
 * <p><b>A Redis Cluster.</b> Publishes go to the master of the channel's slot ({@code SPUBLISH} for exact and sharded
 * channels, {@code PUBLISH} for {@link #broadcast}); exact and sharded channels are subscribed by the
 * {@link ShardedSubscriber} on the node that serves their slot, and follow it through failovers and slot
 * migrations; patterns are held on one cluster pub/sub connection (a classic {@code PUBLISH} reaches every node).
 *
 * <p><b>Threads.</b> Listeners run on Lettuce's event-loop threads, one message at a time per channel, in the order
 * Redis sent them; they must not block. A listener may publish or (un)subscribe: from inside a callback those calls
 * do not wait for Redis (waiting there would stall the very thread that reads the reply).
 *
 * <p><b>Outages.</b> Lettuce reconnects with exponential back-off and re-subscribes what the connection had;
 * this broker also re-issues its own channel and pattern sets after each reconnect, and (un)subscriptions made
 * during an outage are queued and sent once Redis is back. Messages published while a replica is disconnected are
 * lost for it, as Redis pub/sub is fire-and-forget: consumers recover from the store. {@link #publish} during an
 * outage fails fast (the publish connection rejects commands while disconnected) and at worst after the command
 * timeout; it never throws. {@link #subscribe} waits up to the command timeout for Redis to confirm, so that a
 * message published after it returns is received, except during an outage, when it returns at once.
 *
 * <p>If Redis cannot be reached when the broker is created, the constructor throws an
 * {@link IllegalStateException}: Lettuce retries only connections that were once established.
 */
public final class RedisEventBroker implements EventBroker {

    private static final System.Logger LOG = System.getLogger(RedisEventBroker.class.getName());

    /** The kinds of subscription one pub/sub connection holds. */
    private enum Kind {
        CHANNEL("c:"), PATTERN("p:"), SHARD("s:");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    private final Duration commandTimeout;
    private final BrokerCounters counters = new BrokerCounters();
    private final RedisTransport connections;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final StatefulConnection<String, String> publisher;
    private final RedisClusterAsyncCommands<String, String> publish;
    private final Optional<ShardedSubscriber> shards;
    private final RedisConnectionMonitor monitor;

    /** Guards the registries together with the SUBSCRIBE/UNSUBSCRIBE they trigger; never held while waiting. */
    private final ReentrantLock lock = new ReentrantLock();
    private final ListenerRegistry channels = ListenerRegistry.forChannels();
    private final ListenerRegistry patterns = ListenerRegistry.forPatterns();
    private final ListenerRegistry shardChannels = ListenerRegistry.forChannels();
    /** Keys (kind-tagged) whose UNSUBSCRIBE is in flight: late messages for them are expected. */
    private final Set<String> pendingUnsubscribes = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Connects to one Redis or, in cluster mode, to the cluster through its seed nodes.
     *
     * @throws IllegalArgumentException if the settings have no Redis URI or it cannot be parsed
     * @throws IllegalStateException    if Redis cannot be reached now
     */
    public RedisEventBroker(BrokerSettings settings) {
        this.commandTimeout = settings.commandTimeout();
        this.connections = settings.cluster()
                ? new RedisClusterConnections(settings, counters)
                : new RedisConnections(settings);
        this.subscriber = connections.subscriber();
        this.publisher = connections.publisher();
        this.publish = connections.publishCommands();
        this.shards = connections.shards();
        this.monitor = new RedisConnectionMonitor(connections.address(), counters, this::resubscribeAll);
        subscriber.addListener(new Dispatcher());
        monitor.watch(connections);
    }

    /** {@code PUBLISH} on one Redis; {@code SPUBLISH} on a cluster, where exact channels are sharded. */
    @Override
    public boolean publish(String channel, String message) {
        return shards.isPresent() ? send(channel, message, c -> c.spublish(channel, message))
                : send(channel, message, c -> c.publish(channel, message));
    }

    @Override
    public boolean broadcast(String channel, String message) {
        return send(channel, message, c -> c.publish(channel, message));
    }

    @Override
    public boolean publishSharded(String channel, String message) {
        return send(channel, message, c -> c.spublish(channel, message));
    }

    private boolean send(String channel, String message,
                         Function<RedisClusterAsyncCommands<String, String>, RedisFuture<Long>> command) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        if (closed || !publisher.isOpen()) {
            counters.publishFailed();
            return false;
        }
        RedisFuture<Long> reply;
        try {
            reply = command.apply(publish);
        } catch (RuntimeException e) {
            counters.publishFailed();
            LOG.log(Level.DEBUG, "publish to " + channel + " not dispatched", e);
            return false;
        }
        if (BrokerCallbacks.inCallback()) {
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
            LOG.log(Level.DEBUG, "publish to " + channel + " failed", e);
            return false;
        }
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        if (shards.isPresent()) {
            return closed ? ListenerSubscription.closed() : shards.get().subscribe(channel, listener);
        }
        return register(Kind.CHANNEL, channel, listener);
    }

    @Override
    public Subscription subscribePattern(String pattern, MessageListener listener) {
        return register(Kind.PATTERN, pattern, listener);
    }

    @Override
    public Subscription subscribeSharded(String channel, MessageListener listener) {
        if (shards.isPresent()) {
            return closed ? ListenerSubscription.closed() : shards.get().subscribe(channel, listener);
        }
        return register(Kind.SHARD, channel, listener);
    }

    @Override
    public boolean isHealthy() {
        return !closed && subscriber.isOpen() && publisher.isOpen();
    }

    /** On a cluster, exact and sharded channels are one set (both are sharded there): both counts show it. */
    @Override
    public BrokerStats stats() {
        if (shards.isPresent()) {
            int sharded = shards.get().channels();
            return counters.snapshot(sharded, patterns.size(), sharded, 1 + shards.get().connections());
        }
        return counters.snapshot(channels.size(), patterns.size(), shardChannels.size(), 1);
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
            shardChannels.clear();
        } finally {
            lock.unlock();
        }
        monitor.stop();
        connections.close();
    }

    private ListenerRegistry registry(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    private Subscription register(Kind kind, String key, MessageListener listener) {
        Objects.requireNonNull(key, "channel or pattern");
        Objects.requireNonNull(listener, "listener");
        ListenerRegistry registry = registry(kind);
        Registration registration = new Registration(listener);
        CompletableFuture<?> subscribed;
        lock.lock();
        try {
            if (closed) {
                return ListenerSubscription.closed();
            }
            ListenerRegistry.Topic topic = registry.add(key, registration);
            if (topic.size() == 1) {
                topic.transportState(switch (kind) {
                    case CHANNEL -> subscriber.async().subscribe(key).toCompletableFuture();
                    case PATTERN -> subscriber.async().psubscribe(key).toCompletableFuture();
                    case SHARD -> subscriber.async().ssubscribe(key).toCompletableFuture();
                });
            }
            subscribed = (CompletableFuture<?>) topic.transportState();
        } finally {
            lock.unlock();
        }
        awaitSubscribed(subscribed, key);
        return new ListenerSubscription(registration, r -> unregister(kind, key, r));
    }

    /** Waits (bounded) until Redis confirmed the subscription, so that messages published afterwards arrive. */
    private void awaitSubscribed(CompletableFuture<?> subscribed, String key) {
        if (subscribed == null || subscribed.isDone() && !subscribed.isCompletedExceptionally()) {
            return;
        }
        if (BrokerCallbacks.inCallback() || !subscriber.isOpen()) {
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

    private void unregister(Kind kind, String key, Registration registration) {
        lock.lock();
        try {
            if (registry(kind).remove(key, registration) && !closed) {
                unsubscribeAtRedis(kind, key);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Must hold {@link #lock}. */
    private void unsubscribeAtRedis(Kind kind, String key) {
        String pendingKey = kind.tag + key;
        pendingUnsubscribes.add(pendingKey);
        RedisFuture<Void> reply = switch (kind) {
            case CHANNEL -> subscriber.async().unsubscribe(key);
            case PATTERN -> subscriber.async().punsubscribe(key);
            case SHARD -> subscriber.async().sunsubscribe(key);
        };
        reply.whenComplete((ignored, error) -> pendingUnsubscribes.remove(pendingKey));
    }

    /** A message for a key nobody here listens to: a subscription left over (e.g. restored on reconnect). */
    private void dropStraySubscription(Kind kind, String key) {
        if (pendingUnsubscribes.contains(kind.tag + key)) {
            return;
        }
        lock.lock();
        try {
            if (!closed && registry(kind).topic(key) == null && !pendingUnsubscribes.contains(kind.tag + key)) {
                unsubscribeAtRedis(kind, key);
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
            String[] channelKeys = keys(channels);
            String[] patternKeys = keys(patterns);
            String[] shardKeys = keys(shardChannels);
            counters.resubscribed(channelKeys.length + patternKeys.length + shardKeys.length);
            if (channelKeys.length > 0) {
                subscriber.async().subscribe(channelKeys).thenRun(() -> tellResubscribed(channels));
            }
            if (patternKeys.length > 0) {
                subscriber.async().psubscribe(patternKeys).thenRun(() -> tellResubscribed(patterns));
            }
            // one SSUBSCRIBE per channel: a single one naming channels of several slots would be refused
            for (String shardKey : shardKeys) {
                subscriber.async().ssubscribe(shardKey).thenRun(() -> {
                    ListenerRegistry.Topic topic = shardChannels.topic(shardKey);
                    if (topic != null) {
                        topic.registrations().forEach(Registration::resubscribed);
                    }
                });
            }
        } finally {
            lock.unlock();
        }
    }

    private static String[] keys(ListenerRegistry registry) {
        return registry.topics().stream().map(ListenerRegistry.Topic::key).toArray(String[]::new);
    }

    private static void tellResubscribed(ListenerRegistry registry) {
        registry.topics().forEach(topic -> topic.registrations().forEach(Registration::resubscribed));
    }

    private void dispatch(Kind kind, String key, String channel, String message) {
        counters.received();
        ListenerRegistry.Topic topic = registry(kind).topic(key);
        if (topic == null) {
            dropStraySubscription(kind, key);
            return;
        }
        BrokerCallbacks.deliver(() -> {
            for (Registration registration : topic.registrations()) {
                if (!registration.deliver(channel, message)) {
                    counters.listenerFailed();
                }
            }
        });
    }

    /** Routes Redis messages to local listeners; runs on Lettuce's event loop. */
    private final class Dispatcher extends RedisPubSubAdapter<String, String> {

        @Override
        public void message(String channel, String message) {
            dispatch(Kind.CHANNEL, channel, channel, message);
        }

        @Override
        public void message(String pattern, String channel, String message) {
            dispatch(Kind.PATTERN, pattern, channel, message);
        }

        @Override
        public void smessage(String channel, String message) {
            dispatch(Kind.SHARD, channel, channel, message);
        }
    }
}
