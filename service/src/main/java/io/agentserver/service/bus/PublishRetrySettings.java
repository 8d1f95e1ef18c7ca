package io.agentserver.service.bus;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * How a {@link RetryingEventBroker} treats a PUBLISH that Redis did not take.
 *
 * @param retryFor  how long such a PUBLISH is retried (in order, behind the ones before it) before it is dropped;
 *                  readers then catch up from the store
 * @param queueSize how many such PUBLISHes wait at most; beyond it {@code publish} returns false
 */
public record PublishRetrySettings(Duration retryFor, int queueSize) {

    public static final String RETRY_FOR_KEY = "redis.publish-retry-for";
    public static final String QUEUE_SIZE_KEY = "redis.publish-queue-size";
    public static final Duration DEFAULT_RETRY_FOR = Duration.ofSeconds(30);
    public static final int DEFAULT_QUEUE_SIZE = 10_000;

    public PublishRetrySettings {
        if (retryFor == null || retryFor.isNegative() || retryFor.isZero()) {
            throw new IllegalArgumentException(RETRY_FOR_KEY + " must be positive, was " + retryFor);
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException(QUEUE_SIZE_KEY + " must be positive, was " + queueSize);
        }
    }

    /** Reads {@code redis.publish-*} from the root config; every default is named above. */
    public static PublishRetrySettings from(Config config) {
        return new PublishRetrySettings(
                config.get(RETRY_FOR_KEY).as(Duration.class).orElse(DEFAULT_RETRY_FOR),
                config.get(QUEUE_SIZE_KEY).asInt().orElse(DEFAULT_QUEUE_SIZE));
    }

    public static PublishRetrySettings defaults() {
        return new PublishRetrySettings(DEFAULT_RETRY_FOR, DEFAULT_QUEUE_SIZE);
    }
}
