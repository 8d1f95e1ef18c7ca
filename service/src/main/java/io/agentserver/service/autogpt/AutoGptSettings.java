package io.agentserver.service.autogpt;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Settings of the AutoGPT {@code /ws} endpoint.
 *
 * @param writerCapacity    frames queued per socket before it counts as a slow consumer and is closed with 1013
 * @param maxMessageBytes   largest client message; bigger ones close the socket with 1009
 * @param slowConsumerGrace how long a slow consumer's close frame may take before its connection is dropped
 * @param channels          the Redis bus names AutoGPT's executor publishes to
 * @param bus               how AutoGPT's executors publish: {@link AutoGptBus#CLASSIC} (default) or
 *                          {@link AutoGptBus#SHARDED}
 */
public record AutoGptSettings(int writerCapacity, int maxMessageBytes, Duration slowConsumerGrace,
                              RedisChannels channels, AutoGptBus bus) {

    public static final int DEFAULT_WRITER_CAPACITY = 1000;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final Duration DEFAULT_SLOW_CONSUMER_GRACE = Duration.ofSeconds(1);
    public static final AutoGptBus DEFAULT_BUS = AutoGptBus.CLASSIC;

    public AutoGptSettings {
        java.util.Objects.requireNonNull(bus, AutoGptBus.KEY);
        if (writerCapacity < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("autogpt.writer-capacity and autogpt.max-message-bytes must be positive");
        }
    }

    /** Reads {@code autogpt.*}; every default is named above. */
    public static AutoGptSettings from(Config config) {
        Config a = config.get("autogpt");
        return new AutoGptSettings(
                a.get("writer-capacity").asInt().orElse(DEFAULT_WRITER_CAPACITY),
                a.get("max-message-bytes").asInt().orElse(DEFAULT_MAX_MESSAGE_BYTES),
                a.get("slow-consumer-grace").as(Duration.class).orElse(DEFAULT_SLOW_CONSUMER_GRACE),
                new RedisChannels(
                        a.get("execution-bus").asString().orElse(RedisChannels.DEFAULT_EXECUTION_BUS),
                        a.get("notification-bus").asString().orElse(RedisChannels.DEFAULT_NOTIFICATION_BUS)),
                a.get("bus").asString().map(AutoGptBus::parse).orElse(DEFAULT_BUS));
    }

    public static AutoGptSettings defaults() {
        return new AutoGptSettings(DEFAULT_WRITER_CAPACITY, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_SLOW_CONSUMER_GRACE,
                RedisChannels.defaults(), DEFAULT_BUS);
    }
}
