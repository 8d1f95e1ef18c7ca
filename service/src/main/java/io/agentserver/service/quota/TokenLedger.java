package io.agentserver.service.quota;

import io.agentserver.service.store.UsageStore;

import java.time.Clock;

/** Opens a {@link RunBudget} for each run of an agent that spends model tokens. Thread-safe. */
public final class TokenLedger {

    private final QuotaSettings settings;
    private final UsageStore usage;
    private final QuotaTelemetry telemetry;
    private final Clock clock;

    public TokenLedger(QuotaSettings settings, UsageStore usage, QuotaTelemetry telemetry, Clock clock) {
        this.settings = settings;
        this.usage = usage;
        this.telemetry = telemetry;
        this.clock = clock;
    }

    /** A ledger without limits or a store: counts each run's spend for its final step only. */
    public static TokenLedger unlimited() {
        return new TokenLedger(QuotaSettings.unlimited(), null, QuotaTelemetry.NONE, Clock.systemUTC());
    }

    public RunBudget open(String userId, String interactionId, String agent) {
        return new RunBudget(settings, usage, telemetry, clock, userId, interactionId, agent);
    }
}
