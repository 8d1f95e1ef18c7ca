package io.agentserver.service.hub;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Limits and timings every connection session of this replica shares, whatever its protocol.
 *
 * @param maxConnectionsPerUser  open sockets one user may hold on this replica (both protocols together);
 *                               one more is refused with 1008 "too many connections"
 * @param maxMessagesPerSecond   client messages one socket may send per second, sustained; above it (after the
 *                               burst) the socket is closed with 1008 "too many messages"
 * @param messageBurst           client messages one socket may send at once before the rate applies
 * @param closeGrace             how long a close frame this side sent may take to go out and be answered before
 *                               the TCP connection is dropped (slow consumers, drain, limits)
 * @param writerJoinTimeout      how long a closing connection waits for its writer to stop
 * @param drainTimeout           how long a stopping server waits for its sockets to take their 1001 close
 */
public record HubSettings(int maxConnectionsPerUser,
                          int maxMessagesPerSecond,
                          int messageBurst,
                          Duration closeGrace,
                          Duration writerJoinTimeout,
                          Duration drainTimeout) {

    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 32;
    public static final int DEFAULT_MAX_MESSAGES_PER_SECOND = 50;
    public static final int DEFAULT_MESSAGE_BURST = 200;
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_WRITER_JOIN_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    public HubSettings {
        if (maxConnectionsPerUser < 1 || maxMessagesPerSecond < 1 || messageBurst < 1) {
            throw new IllegalArgumentException(
                    "hub.max-connections-per-user, hub.max-messages-per-second and hub.message-burst must be positive");
        }
    }

    /** Reads {@code hub.*} and {@code shutdown.drain-timeout}; every default is named above. */
    public static HubSettings from(Config config) {
        Config hub = config.get("hub");
        return new HubSettings(
                hub.get("max-connections-per-user").asInt().orElse(DEFAULT_MAX_CONNECTIONS_PER_USER),
                hub.get("max-messages-per-second").asInt().orElse(DEFAULT_MAX_MESSAGES_PER_SECOND),
                hub.get("message-burst").asInt().orElse(DEFAULT_MESSAGE_BURST),
                hub.get("close-grace").as(Duration.class).orElse(DEFAULT_CLOSE_GRACE),
                hub.get("writer-join-timeout").as(Duration.class).orElse(DEFAULT_WRITER_JOIN_TIMEOUT),
                config.get("shutdown.drain-timeout").as(Duration.class).orElse(DEFAULT_DRAIN_TIMEOUT));
    }

    public static HubSettings defaults() {
        return new HubSettings(DEFAULT_MAX_CONNECTIONS_PER_USER, DEFAULT_MAX_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST,
                DEFAULT_CLOSE_GRACE, DEFAULT_WRITER_JOIN_TIMEOUT, DEFAULT_DRAIN_TIMEOUT);
    }
}
