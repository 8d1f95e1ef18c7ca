package io.agentserver.service.bus;

/** Picks the broker the settings ask for. */
public final class EventBrokers {

    private EventBrokers() {
    }

    /**
     * @return a {@link RedisEventBroker} when {@code redis.uri} is set, else an {@link InMemoryEventBroker}
     * @throws IllegalStateException if Redis is configured but cannot be reached at start-up
     */
    public static EventBroker create(BrokerSettings settings) {
        return settings.usesRedis() ? new RedisEventBroker(settings) : new InMemoryEventBroker();
    }
}
