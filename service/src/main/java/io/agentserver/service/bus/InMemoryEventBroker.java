package io.agentserver.service.bus;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single-node broker and the test double. {@link #publish} calls matching listeners synchronously on the
 * publisher's thread, one message at a time for the whole broker (like the single Redis connection), so per-channel
 * delivery order equals publish order and a listener is never called concurrently. The price is that a slow
 * listener delays publishers: listeners must not block. A listener may publish or (un)subscribe re-entrantly.
 * Sharded channels are a namespace of their own, as in Redis: {@link #publishSharded} reaches only
 * {@link #subscribeSharded} listeners, and {@link #publish} never reaches them.
 */
public final class InMemoryEventBroker implements EventBroker {

    private final ReentrantLock lock = new ReentrantLock();
    private final ListenerRegistry channels = ListenerRegistry.forChannels();
    private final ListenerRegistry patterns = ListenerRegistry.forPatterns();
    private final ListenerRegistry shardChannels = ListenerRegistry.forChannels();
    private final BrokerCounters counters = new BrokerCounters();
    private volatile boolean closed;

    @Override
    public boolean publish(String channel, String message) {
        return publish(channel, message, () -> {
            ListenerRegistry.Topic exact = channels.topic(channel);
            if (exact != null) {
                deliver(exact, channel, message);
            }
            for (ListenerRegistry.Topic topic : patterns.topics()) {
                if (topic.pattern().matches(channel)) {
                    deliver(topic, channel, message);
                }
            }
        });
    }

    @Override
    public boolean publishSharded(String channel, String message) {
        return publish(channel, message, () -> {
            ListenerRegistry.Topic topic = shardChannels.topic(channel);
            if (topic != null) {
                deliver(topic, channel, message);
            }
        });
    }

    /** Counts and delivers one message under the lock, unless the broker is closed. */
    private boolean publish(String channel, String message, Runnable delivery) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        lock.lock();
        try {
            if (closed) {
                counters.publishFailed();
                return false;
            }
            counters.published();
            counters.received();
            delivery.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Subscription subscribe(String channel, MessageListener listener) {
        return register(channels, channel, listener);
    }

    @Override
    public Subscription subscribeSharded(String channel, MessageListener listener) {
        return register(shardChannels, channel, listener);
    }

    @Override
    public Subscription subscribePattern(String pattern, MessageListener listener) {
        return register(patterns, pattern, listener);
    }

    @Override
    public boolean isHealthy() {
        return !closed;
    }

    @Override
    public BrokerStats stats() {
        return counters.snapshot(channels.size(), patterns.size(), shardChannels.size(), 0);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            channels.clear();
            patterns.clear();
            shardChannels.clear();
        } finally {
            lock.unlock();
        }
    }

    private Subscription register(ListenerRegistry registry, String key, MessageListener listener) {
        Objects.requireNonNull(key, "channel or pattern");
        Objects.requireNonNull(listener, "listener");
        Registration registration = new Registration(listener);
        lock.lock();
        try {
            if (closed) {
                return ListenerSubscription.closed();
            }
            registry.add(key, registration);
        } finally {
            lock.unlock();
        }
        return new ListenerSubscription(registration, r -> unregister(registry, key, r));
    }

    private void unregister(ListenerRegistry registry, String key, Registration registration) {
        lock.lock();
        try {
            registry.remove(key, registration);
        } finally {
            lock.unlock();
        }
    }

    private void deliver(ListenerRegistry.Topic topic, String channel, String message) {
        for (Registration registration : topic.registrations()) {
            if (!registration.deliver(channel, message)) {
                counters.listenerFailed();
            }
        }
    }
}
