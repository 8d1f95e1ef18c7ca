package io.agentserver.service.agent;

import java.time.Duration;

/**
 * What agents that call a remote service report about those calls: how long a model request took and how
 * many tokens it used, and each upstream failure by one of the kinds below (a metric label). Must not block.
 */
public interface AgentTelemetry {

    String UNAUTHORIZED = "unauthorized";
    String RATE_LIMITED = "rate_limited";
    String TIMEOUT = "timeout";
    String SERVER_ERROR = "server_error";
    String BAD_RESPONSE = "bad_response";
    String UNREACHABLE = "unreachable";
    /** An answer over its byte cap, refused before it was read whole. */
    String TOO_LARGE = "too_large";
    /** A redirect to another origin than the configured server's, not followed. */
    String REDIRECT_REFUSED = "redirect_refused";

    AgentTelemetry NONE = new AgentTelemetry() {
    };

    default void modelRequest(String agent, Duration latency, long promptTokens, long completionTokens) {
    }

    default void upstreamError(String agent, String kind) {
    }
}
