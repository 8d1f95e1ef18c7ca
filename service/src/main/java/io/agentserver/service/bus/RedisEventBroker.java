package io.agentserver.service.bus;

import java.lang.System.Logger.Level;
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

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

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
 * timeout; it never throws. {@link #subscribe} waits up to the command timeout for Redis to confirm, so that a
 * message published after it returns is received, except during an outage, when it returns at once.
 *
 * <p>If Redis cannot be reached when the broker is created, the constructor throws an
 * {@link IllegalStateException}: Lettuce retries only connections that were once established.
 */
public final class RedisEventBroker implements EventBroker {

    private static final System.Logger LOG = System.getLogger(RedisEventBroker.class.getName());
    /** True on a thread that is running one of our pub/sub callbacks (Lettuce's event loop). */
    private static final ThreadLocal<Boolean> IN_CALLBACK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final Duration commandTimeout;
    private final RedisConnections connections;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final StatefulRedisConnection<String, String> publisher;
    private final RedisConnectionMonitor monitor;
    private final BrokerCounters counters = new BrokerCounters();

    /** Guards the registries together with the SUBSCRIBE/UNSUBSCRIBE they trigger; never held while waiting. */
    private final ReentrantLock lock = new ReentrantLock();
    private final ListenerRegistry channels = ListenerRegistry.forChannels();
    private final ListenerRegistry patterns = ListenerRegistry.forPatterns();
    /** Keys ("c:" or "p:" prefixed) whose UNSUBSCRIBE is in flight: late messages for them are expected. */
    private final Set<String> pendingUnsubscribes = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Connects both connections.
     *
     * @throws IllegalArgumentException if the settings have no Redis URI or it cannot be parsed
     * @throws IllegalStateException    if Redis cannot be reached now
     */
    public RedisEventBroker(BrokerSettings settings) {
        this.commandTimeout = settings.commandTimeout();
        this.connections = new RedisConnections(settings);
        this.subscriber = connections.subscriber();
        this.publisher = connections.publisher();
        this.monitor = new RedisConnectionMonitor(connections.address(), counters, this::resubscribeAll);
        subscriber.addListener(new Dispatcher());
        monitor.watch(connections);
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
        monitor.stop();
        connections.close();
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
                subscriber.async().subscribe(channelKeys).thenRun(() -> tellResubscribed(channels));
            }
            if (patternKeys.length > 0) {
                subscriber.async().psubscribe(patternKeys).thenRun(() -> tellResubscribed(patterns));
            }
        } finally {
            lock.unlock();
        }
    }

    private static void tellResubscribed(ListenerRegistry registry) {
        registry.topics().forEach(topic -> topic.registrations().forEach(Registration::resubscribed));
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

    private static String pendingKey(String key, boolean pattern) {
        return (pattern ? "p:" : "c:") + key;
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
}
