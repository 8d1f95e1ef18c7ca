package io.agentserver.service.agui;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Settings of the AG-UI routes.
 *
 * @param maxBodyBytes   largest RunAgentInput (UTF-8 bytes) a POST may send; a larger one is answered 413
 *                       ({@code agui.max-body-bytes}, as XAgent's largest message)
 * @param writerMaxBytes bytes queued for a stream and not yet written before its reader counts as slow and the stream
 *                       ends; a cursor pauses at half of it ({@code agui.writer-max-bytes}, as XAgent's sockets)
 * @param keepAlive      a stream that wrote nothing for this long gets a {@code : ping} comment
 *                       ({@code agui.keep-alive})
 * @param stallTimeout   a stream whose queued bytes could not be written for this long ends as slow
 *                       ({@code agui.stall-timeout})
 */
public record AguiSettings(int maxBodyBytes, long writerMaxBytes, Duration keepAlive, Duration stallTimeout) {

    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final long DEFAULT_WRITER_MAX_BYTES = 8L * 1024 * 1024;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    public AguiSettings {
        if (maxBodyBytes < 1 || writerMaxBytes < 1024 || keepAlive.isNegative() || keepAlive.isZero()
                || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("agui.max-body-bytes must be positive, agui.writer-max-bytes at least"
                    + " 1024, agui.keep-alive and agui.stall-timeout positive");
        }
    }

    public static AguiSettings from(Config config) {
        Config agui = config.get("agui");
        return new AguiSettings(
                agui.get("max-body-bytes").asInt().orElse(DEFAULT_MAX_BODY_BYTES),
                agui.get("writer-max-bytes").asLong().orElse(DEFAULT_WRITER_MAX_BYTES),
                agui.get("keep-alive").as(Duration.class).orElse(DEFAULT_KEEP_ALIVE),
                agui.get("stall-timeout").as(Duration.class).orElse(DEFAULT_STALL_TIMEOUT));
    }

    public static AguiSettings defaults() {
        return new AguiSettings(DEFAULT_MAX_BODY_BYTES, DEFAULT_WRITER_MAX_BYTES, DEFAULT_KEEP_ALIVE,
                DEFAULT_STALL_TIMEOUT);
    }
}
