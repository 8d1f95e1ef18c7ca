package io.agentserver.service.observe;

import io.agentserver.service.a2a.A2aMetrics;
import io.agentserver.service.hub.Protocol;
import io.agentserver.service.sse.SseStream;

import java.util.Locale;

/** The A2A view's requests and streams as Prometheus metrics of this server. */
public final class A2aServerMetrics implements A2aMetrics {

    private final ServiceMetrics metrics;

    public A2aServerMetrics(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void request(String method, String outcome) {
        metrics.a2aRequest(method, outcome);
    }

    @Override
    public void streamOpened() {
        metrics.a2aStreamOpened();
    }

    @Override
    public void streamClosed(SseStream.End end) {
        metrics.a2aStreamClosed(end.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void limitExceeded() {
        metrics.limitExceeded(Protocol.A2A, "connections_per_user");
    }

    @Override
    public void streamEvent() {
        metrics.a2aStreamEvent();
    }
}
