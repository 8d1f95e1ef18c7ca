package io.agentserver.service.observe;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * How readiness treats its dependencies (the database, Redis).
 *
 * @param readinessGrace how long a dependency that was up may stay down before readiness fails
 *                       ({@code health.readiness-grace}, env {@code HEALTH_READINESS_DASH_GRACE}). A blip
 *                       shorter than this leaves every replica in the Service: with a single-pod Redis or
 *                       PostgreSQL, failing readiness on the first error would empty the Service at once. The
 *                       blip still shows in {@code /health/live}, {@code /health/ready}'s body and the
 *                       {@code agentserver_dependency_up} gauge. Zero: fail at the first error.
 */
public record HealthSettings(Duration readinessGrace) {

    public static final Duration DEFAULT_READINESS_GRACE = Duration.ofSeconds(30);

    public HealthSettings {
        if (readinessGrace.isNegative()) {
            throw new IllegalArgumentException("health.readiness-grace must not be negative");
        }
    }

    /** Reads {@code health.*}; every default is named above. */
    public static HealthSettings from(Config config) {
        return new HealthSettings(config.get("health.readiness-grace").as(Duration.class).orElse(DEFAULT_READINESS_GRACE));
    }

    public static HealthSettings defaults() {
        return new HealthSettings(DEFAULT_READINESS_GRACE);
    }
}
