package io.agentserver.service.bus;

/**
 * Publish/subscribe between replicas. Messages are UTF-8 text (JSON).
 *
 * <p>Three kinds of delivery, named after the Redis commands behind them:
 * <ul>
 *   <li>{@link #publish} / {@link #subscribe}: exact channels between our replicas. The transport picks the
 *       cheapest command: {@code PUBLISH}/{@code SUBSCRIBE} on one Redis, {@code SPUBLISH}/{@code SSUBSCRIBE}
 *       on a Redis Cluster (a classic PUBLISH there is copied to every node). Whether a pattern listener also
 *       sees a {@code publish} depends on the transport: do not rely on it.</li>
 *   <li>{@link #broadcast} / {@link #subscribePattern}: classic {@code PUBLISH} in every mode, which reaches
 *       exact and pattern listeners (on a cluster, through every node). For AutoGPT's classic bus.</li>
 *   <li>{@link #publishSharded} / {@link #subscribeSharded}: sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE},
 *       Redis 7) in every mode; such messages never reach {@code subscribe} or pattern listeners. For AutoGPT's
 *       2026 bus.</li>
 * </ul>
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
     * Publishes with a classic {@code PUBLISH}, which pattern listeners receive too, on every transport.
     *
     * @return false if the message could not be handed to the transport
     */
    default boolean broadcast(String channel, String message) {
        return publish(channel, message);
    }

    /**
     * Publishes to a sharded channel ({@code SPUBLISH}): only {@link #subscribeSharded} listeners of exactly this
     * channel receive it.
     *
     * @return false if the message could not be handed to the transport
     */
    boolean publishSharded(String channel, String message);

    /**
     * Subscribes to one sharded channel ({@code SSUBSCRIBE}), reference-counted like {@link #subscribe}. On a Redis
     * Cluster the subscription follows the channel's slot through failovers and migrations; the listener's
     * {@link MessageListener#resubscribed()} is called when messages may have been missed in such a move.
     */
    Subscription subscribeSharded(String channel, MessageListener listener);

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
