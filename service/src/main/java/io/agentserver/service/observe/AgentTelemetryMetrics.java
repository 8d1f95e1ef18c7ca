package io.agentserver.service.observe;

import io.agentserver.service.agent.AgentTelemetry;

import java.time.Duration;

/** Agent telemetry as Prometheus metrics of this server. */
public final class AgentTelemetryMetrics implements AgentTelemetry {

    private final ServiceMetrics metrics;

    public AgentTelemetryMetrics(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void modelRequest(String agent, Duration latency, long promptTokens, long completionTokens) {
        metrics.modelRequest(agent, latency, promptTokens, completionTokens);
    }

    @Override
    public void upstreamError(String agent, String kind) {
        metrics.upstreamError(agent, kind);
    }
}
