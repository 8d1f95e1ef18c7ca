package io.agentserver.service.observe;

import io.agentserver.service.quota.QuotaTelemetry;

/** Spend and refusals of the per-user limits as Prometheus metrics of this server. */
public final class QuotaTelemetryMetrics implements QuotaTelemetry {

    private final ServiceMetrics metrics;

    public QuotaTelemetryMetrics(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void tokensSpent(String agent, String userClass, long promptTokens, long completionTokens) {
        metrics.tokensSpent(agent, userClass, promptTokens, completionTokens);
    }

    @Override
    public void runRefused(String reason) {
        metrics.runRefused(reason);
    }
}
