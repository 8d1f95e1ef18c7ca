package io.agentserver.service.quota;

/** What the limits report: tokens spent by agent and user class, and runs refused by reason. Must not block. */
public interface QuotaTelemetry {

    QuotaTelemetry NONE = new QuotaTelemetry() {
    };

    default void tokensSpent(String agent, String userClass, long promptTokens, long completionTokens) {
    }

    /** @param reason {@code concurrent_runs}, {@code runs_per_hour}, {@code guest_agent}, {@code tokens_per_day} */
    default void runRefused(String reason) {
    }
}
