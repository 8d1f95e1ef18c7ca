package io.agentserver.service.bus;

/**
 * Publish/subscribe between replicas. Messages are UTF-8 text (JSON).
 *
 * <p>Listeners are called one at a time per broker, in publish order per channel, on a thread owned by the
 * broker (Redis: Lettuce's event loop) or the publisher's thread (in memory). Listeners <strong>must not
 * block</strong>: hand the message to a queue and return. An exception thrown by a listener is logged and
 * counted; it never affects other listeners or later messages.
 */
public interface EventBroker extends AutoCloseable {

    /**
     * Publishes to an exact channel. Never throws for a transient outage; logs and counts instead.
     *
     * @return false if the message could not be handed to the transport
     */
    boolean publish(String channel, String message);

    /**
     * Subscribes to one exact channel. Reference-counted: the transport subscription is made for the first local
     * listener and dropped after the last.
     */
    Subscription subscribe(String channel, MessageListener listener);

    /**
     * Subscribes to a glob pattern (Redis PSUBSCRIBE syntax: {@code *}, {@code ?}, {@code [..]}), reference-counted
     * the same way. The listener receives the actual channel name.
     */
    Subscription subscribePattern(String pattern, MessageListener listener);

    /** True when the transport is usable (memory: always; Redis: connected). For readiness. */
    boolean isHealthy();

    /** Counters for observability; a consistent-enough snapshot, cheap to call. */
    BrokerStats stats();

    @Override
    void close();
}
