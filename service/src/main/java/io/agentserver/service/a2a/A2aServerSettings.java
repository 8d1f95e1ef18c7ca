package io.agentserver.service.a2a;

import io.helidon.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the A2A view of our agents ({@code a2a.*}).
 *
 * @param publicBaseUrl    the service's address as A2A clients reach it (scheme, host, port, path prefix), used for
 *                         the cards' interface URLs; empty: taken from each request's {@code Host} and
 *                         {@code X-Forwarded-Proto}/{@code X-Forwarded-Host}
 * @param maxRequestBytes  largest JSON-RPC request body; a larger one is refused with HTTP 413 before it is read
 * @param maxOpenPerUser   streams and blocking sends one user may hold open on this replica at once; one more is
 *                         refused with HTTP 429
 * @param streamMaxBytes   bytes queued for a stream and not yet written before its client counts as slow and the
 *                         stream is dropped; the step log is read on only while less than half of it is queued
 * @param keepAlive        a stream that sent nothing for this long gets a {@code : ping} comment line
 * @param writeTimeout     a stream whose write has not returned for this long (its client stopped reading) is
 *                         dropped
 * @param blockingTimeout  longest wait of a blocking {@code SendMessage}; it then answers the task as it is
 * @param cancelTimeout    longest wait of {@code CancelTask} for the run to stop; it then answers the task as it is
 * @param agentVersion     the {@code version} every card shows
 */
public record A2aServerSettings(Optional<URI> publicBaseUrl,
                                long maxRequestBytes,
                                int maxOpenPerUser,
                                long streamMaxBytes,
                                Duration keepAlive,
                                Duration writeTimeout,
                                Duration blockingTimeout,
                                Duration cancelTimeout,
                                String agentVersion) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_OPEN_PER_USER = 32;
    public static final long DEFAULT_STREAM_MAX_BYTES = 8L * 1024 * 1024;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BLOCKING_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CANCEL_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_AGENT_VERSION = "1.0.0";

    public A2aServerSettings {
        if (maxRequestBytes < 1024 || maxOpenPerUser < 1 || streamMaxBytes < 64 * 1024) {
            throw new IllegalArgumentException("a2a.max-request-bytes must be at least 1024, a2a.max-open-per-user"
                    + " positive and a2a.stream-max-bytes at least 65536");
        }
        for (Duration positive : new Duration[] {keepAlive, writeTimeout, blockingTimeout, cancelTimeout}) {
            if (positive.isNegative() || positive.isZero()) {
                throw new IllegalArgumentException("a2a durations must be positive, got " + positive);
            }
        }
        publicBaseUrl.ifPresent(url -> {
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("a2a.public-base-url must be an http(s) URL, got " + url);
            }
        });
    }

    /** Reads {@code a2a.*}; every default is named above. */
    public static A2aServerSettings from(Config config) {
        Config a2a = config.get("a2a");
        return new A2aServerSettings(
                a2a.get("public-base-url").asString().asOptional().filter(s -> !s.isBlank())
                        .map(s -> URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s)),
                a2a.get("max-request-bytes").asLong().orElse(DEFAULT_MAX_REQUEST_BYTES),
                a2a.get("max-open-per-user").asInt().orElse(DEFAULT_MAX_OPEN_PER_USER),
                a2a.get("stream-max-bytes").asLong().orElse(DEFAULT_STREAM_MAX_BYTES),
                a2a.get("keep-alive").as(Duration.class).orElse(DEFAULT_KEEP_ALIVE),
                a2a.get("write-timeout").as(Duration.class).orElse(DEFAULT_WRITE_TIMEOUT),
                a2a.get("blocking-timeout").as(Duration.class).orElse(DEFAULT_BLOCKING_TIMEOUT),
                a2a.get("cancel-timeout").as(Duration.class).orElse(DEFAULT_CANCEL_TIMEOUT),
                a2a.get("agent-version").asString().orElse(DEFAULT_AGENT_VERSION));
    }

    public static A2aServerSettings defaults() {
        return new A2aServerSettings(Optional.empty(), DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_OPEN_PER_USER,
                DEFAULT_STREAM_MAX_BYTES, DEFAULT_KEEP_ALIVE, DEFAULT_WRITE_TIMEOUT, DEFAULT_BLOCKING_TIMEOUT,
                DEFAULT_CANCEL_TIMEOUT, DEFAULT_AGENT_VERSION);
    }
}
