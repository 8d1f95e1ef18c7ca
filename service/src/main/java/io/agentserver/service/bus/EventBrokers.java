package io.agentserver.service.bus;

/** Picks the broker the settings ask for. */
public final class EventBrokers {

    private EventBrokers() {
    }

    /** As {@link #create(BrokerSettings, PublishRetrySettings)} with the default publish retry. */
    public static EventBroker create(BrokerSettings settings) {
        return create(settings, PublishRetrySettings.defaults());
    }

    /**
     * @return a {@link RedisEventBroker} behind a {@link RetryingEventBroker} when {@code redis.uri} is set, else
     *         an {@link InMemoryEventBroker} (whose publish cannot fail)
     * @throws IllegalStateException if Redis is configured but cannot be reached at start-up
     */
    public static EventBroker create(BrokerSettings settings, PublishRetrySettings retry) {
        return settings.usesRedis()
                ? new RetryingEventBroker(new RedisEventBroker(settings), retry.retryFor(), retry.queueSize())
                : new InMemoryEventBroker();
    }
}
