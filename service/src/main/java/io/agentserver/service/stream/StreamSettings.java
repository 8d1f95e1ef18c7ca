package io.agentserver.service.stream;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Settings of the step cursors.
 *
 * @param recheck   an interaction whose viewers heard nothing for half of this is re-read from the store: the worst
 *                  delay a lost broker notice adds ({@code stream.recheck}, formerly {@code xagent.store-recheck})
 * @param pageSteps most steps one store read returns
 * @param pageBytes a store read stops after this many bytes of step data (always at least one step)
 * @param maxRetry  longest pause between retries of a store read that failed
 */
public record StreamSettings(Duration recheck, int pageSteps, long pageBytes, Duration maxRetry) {

    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(1);
    public static final int DEFAULT_PAGE_STEPS = 64;
    public static final long DEFAULT_PAGE_BYTES = 256 * 1024;
    public static final Duration DEFAULT_MAX_RETRY = Duration.ofSeconds(5);

    public StreamSettings {
        if (recheck.isNegative() || recheck.isZero() || pageSteps < 1 || pageBytes < 1) {
            throw new IllegalArgumentException("stream.recheck, page-steps and page-bytes must be positive");
        }
    }

    public static StreamSettings from(Config config) {
        Config stream = config.get("stream");
        return new StreamSettings(
                stream.get("recheck").as(Duration.class)
                        .orElseGet(() -> config.get("xagent.store-recheck").as(Duration.class).orElse(DEFAULT_RECHECK)),
                stream.get("page-steps").asInt().orElse(DEFAULT_PAGE_STEPS),
                stream.get("page-bytes").asLong().orElse(DEFAULT_PAGE_BYTES),
                stream.get("max-retry").as(Duration.class).orElse(DEFAULT_MAX_RETRY));
    }

    public static StreamSettings defaults() {
        return new StreamSettings(DEFAULT_RECHECK, DEFAULT_PAGE_STEPS, DEFAULT_PAGE_BYTES, DEFAULT_MAX_RETRY);
    }
}
