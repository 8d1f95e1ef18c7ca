package io.agentserver.service.agent;

import java.time.Duration;

/**
 * What agents that call a remote service report about those calls: how long a model request took and how
 * many tokens it used, and each upstream failure by kind ({@code unauthorized}, {@code rate_limited},
 * {@code timeout}, {@code server_error}, {@code bad_response}, {@code unreachable}). Must not block.
 */
public interface AgentTelemetry {

    AgentTelemetry NONE = new AgentTelemetry() {
    };

    default void modelRequest(String agent, Duration latency, long promptTokens, long completionTokens) {
    }

    default void upstreamError(String agent, String kind) {
    }
}
