package io.agentserver.service.autogpt;

import io.agentserver.service.hub.Protocol;
import io.agentserver.service.hub.SocketSettings;
import io.helidon.config.Config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the AutoGPT {@code /ws} endpoint.
 *
 * @param writerMaxBytes    bytes queued per socket: past it the client counts as a slow consumer and is closed with
 *                          1013 (a replay pauses at half of it instead)
 * @param maxMessageBytes   largest client message; bigger ones close the socket with 1009
 * @param slowConsumerGrace how long a close this side sent (1013 and others) may take before the connection is dropped
 * @param pingInterval      a socket that sent nothing (AutoGPT's clients send heartbeats) for this long is pinged
 * @param missedPongs       a ping unanswered for this many ping intervals drops the connection
 * @param channels          the Redis bus names AutoGPT's executor publishes to
 * @param bus               how AutoGPT's executors publish: {@link AutoGptBus#CLASSIC} (default) or
 *                          {@link AutoGptBus#SHARDED}
 */
public record AutoGptSettings(long writerMaxBytes, int maxMessageBytes, Duration slowConsumerGrace,
                              Duration pingInterval, int missedPongs, RedisChannels channels, AutoGptBus bus) {

    public static final long DEFAULT_WRITER_MAX_BYTES = 4L * 1024 * 1024;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final Duration DEFAULT_SLOW_CONSUMER_GRACE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_MISSED_PONGS = 2;
    public static final AutoGptBus DEFAULT_BUS = AutoGptBus.CLASSIC;

    public AutoGptSettings {
        Objects.requireNonNull(bus, AutoGptBus.KEY);
        if (writerMaxBytes < 1024 || maxMessageBytes < 1) {
            throw new IllegalArgumentException(
                    "autogpt.writer-max-bytes must be at least 1024 and autogpt.max-message-bytes positive");
        }
    }

    /** Reads {@code autogpt.*}; every default is named above. */
    public static AutoGptSettings from(Config config) {
        Config a = config.get("autogpt");
        return new AutoGptSettings(
                a.get("writer-max-bytes").asLong().orElse(DEFAULT_WRITER_MAX_BYTES),
                a.get("max-message-bytes").asInt().orElse(DEFAULT_MAX_MESSAGE_BYTES),
                a.get("slow-consumer-grace").as(Duration.class).orElse(DEFAULT_SLOW_CONSUMER_GRACE),
                a.get("ping-interval").as(Duration.class).orElse(DEFAULT_PING_INTERVAL),
                a.get("missed-pongs").asInt().orElse(DEFAULT_MISSED_PONGS),
                new RedisChannels(
                        a.get("execution-bus").asString().orElse(RedisChannels.DEFAULT_EXECUTION_BUS),
                        a.get("notification-bus").asString().orElse(RedisChannels.DEFAULT_NOTIFICATION_BUS)),
                a.get("bus").asString().map(AutoGptBus::parse).orElse(DEFAULT_BUS));
    }

    public static AutoGptSettings defaults() {
        return new AutoGptSettings(DEFAULT_WRITER_MAX_BYTES, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_SLOW_CONSUMER_GRACE,
                DEFAULT_PING_INTERVAL, DEFAULT_MISSED_PONGS, RedisChannels.defaults(), DEFAULT_BUS);
    }

    /** The limits of {@code /ws} sockets: no acknowledgement pings (AutoGPT clients track their own cursor). */
    public SocketSettings socket() {
        return new SocketSettings(Protocol.AUTOGPT, maxMessageBytes, writerMaxBytes, slowConsumerGrace, pingInterval,
                missedPongs, false);
    }
}
