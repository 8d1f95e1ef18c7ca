package io.agentserver.service.agent;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * How runs store their streamed model output for live views (AG-UI's deltas).
 *
 * @param enabled       store it at all ({@code live-output.enabled}); off, a run's partial output goes nowhere and
 *                      AG-UI shows each model answer whole, when its step arrives
 * @param flushInterval pieces that arrive within this long are coalesced into one stored part
 *                      ({@code live-output.flush-interval}); a step's append stores what is pending first
 */
public record LiveOutputSettings(boolean enabled, Duration flushInterval) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(50);

    public LiveOutputSettings {
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("live-output.flush-interval must be positive");
        }
    }

    public static LiveOutputSettings from(Config config) {
        Config live = config.get("live-output");
        return new LiveOutputSettings(live.get("enabled").asBoolean().orElse(DEFAULT_ENABLED),
                live.get("flush-interval").as(Duration.class).orElse(DEFAULT_FLUSH_INTERVAL));
    }

    public static LiveOutputSettings defaults() {
        return new LiveOutputSettings(DEFAULT_ENABLED, DEFAULT_FLUSH_INTERVAL);
    }
}
