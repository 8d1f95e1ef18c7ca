package io.agentserver.service.bus;

/** Publish/subscribe between replicas. Messages are UTF-8 text (JSON). */
public interface EventBroker extends AutoCloseable {
    /** Publishes to an exact channel. Never throws for a transient outage; logs and counts instead. Returns false if it could not be handed to the transport. */
    boolean publish(String channel, String message);
    /** Subscribes to one exact channel. Reference-counted: the transport subscription is made for the first local listener and dropped after the last. */
    Subscription subscribe(String channel, MessageListener listener);
    /** Subscribes to a glob pattern (Redis PSUBSCRIBE syntax: `*`, `?`, `[..]`), reference-counted the same way. */
    Subscription subscribePattern(String pattern, MessageListener listener);
    /** True when the transport is usable (memory: always; Redis: connected). For readiness. */
    boolean isHealthy();
    @Override void close();
}
