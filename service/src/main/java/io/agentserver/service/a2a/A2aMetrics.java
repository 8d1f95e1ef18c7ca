package io.agentserver.service.a2a;

import io.agentserver.service.sse.SseStream;

/** What the A2A view reports to the service's metrics. */
public interface A2aMetrics {

    /** A JSON-RPC request was answered: {@code outcome} is {@code ok}, {@code stream} or the error code. */
    void request(String method, String outcome);

    void streamOpened();

    void streamClosed(SseStream.End end);

    /** A request that would stay open was refused: its user holds the most connections. */
    void limitExceeded();

    /** One stream event was queued for a client. */
    void streamEvent();
}
