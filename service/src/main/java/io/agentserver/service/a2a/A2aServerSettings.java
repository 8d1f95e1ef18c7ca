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
 * @param maxBodyBytes     largest JSON-RPC request body; a larger one is refused with HTTP 413 before it is read
 * @param writerMaxBytes   bytes queued for a stream and not yet written (as the sockets' writers); the step log is
 *                         read on only while less than half of it is queued
 * @param keepAlive        a stream that wrote nothing for this long gets a {@code : ping} comment line
 * @param stallTimeout     a stream whose queued bytes could not be written for this long (its client stopped
 *                         reading) ends as slow, and its connection is dropped
 * @param blockingTimeout  longest wait of a blocking {@code SendMessage}; it then answers the task as it is
 * @param cancelTimeout    longest wait of {@code CancelTask} for the run to stop; it then answers the task as it is
 * @param agentVersion     the {@code version} every card shows
 */
public record A2aServerSettings(Optional<URI> publicBaseUrl,
                                long maxBodyBytes,
                                long writerMaxBytes,
                                Duration keepAlive,
                                Duration stallTimeout,
                                Duration blockingTimeout,
                                Duration cancelTimeout,
                                String agentVersion) {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final long DEFAULT_WRITER_MAX_BYTES = 8L * 1024 * 1024;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BLOCKING_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CANCEL_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_AGENT_VERSION = "1.0.0";

    public A2aServerSettings {
        if (maxBodyBytes < 1024 || writerMaxBytes < 64 * 1024) {
            throw new IllegalArgumentException("a2a.max-body-bytes must be at least 1024 and a2a.writer-max-bytes at"
                    + " least 65536");
        }
        for (Duration positive : new Duration[] {keepAlive, stallTimeout, blockingTimeout, cancelTimeout}) {
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
                a2a.get("max-body-bytes").asLong().orElse(DEFAULT_MAX_BODY_BYTES),
                a2a.get("writer-max-bytes").asLong().orElse(DEFAULT_WRITER_MAX_BYTES),
                a2a.get("keep-alive").as(Duration.class).orElse(DEFAULT_KEEP_ALIVE),
                a2a.get("stall-timeout").as(Duration.class).orElse(DEFAULT_STALL_TIMEOUT),
                a2a.get("blocking-timeout").as(Duration.class).orElse(DEFAULT_BLOCKING_TIMEOUT),
                a2a.get("cancel-timeout").as(Duration.class).orElse(DEFAULT_CANCEL_TIMEOUT),
                a2a.get("agent-version").asString().orElse(DEFAULT_AGENT_VERSION));
    }

    public static A2aServerSettings defaults() {
        return new A2aServerSettings(Optional.empty(), DEFAULT_MAX_BODY_BYTES, DEFAULT_WRITER_MAX_BYTES,
                DEFAULT_KEEP_ALIVE, DEFAULT_STALL_TIMEOUT, DEFAULT_BLOCKING_TIMEOUT, DEFAULT_CANCEL_TIMEOUT,
                DEFAULT_AGENT_VERSION);
    }
}
