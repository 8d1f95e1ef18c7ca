package io.agentserver.service.agui;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The AG-UI metrics, by agent: streams open, events sent, rejoins, streams ended as slow readers. */
final class AguiMetrics {

    private final Gauge streamsOpen;
    private final Counter events;
    private final Counter rejoins;
    private final Counter slowReaders;

    AguiMetrics(PrometheusRegistry registry) {
        streamsOpen = Gauge.builder().name("agentserver_agui_streams_open")
                .help("AG-UI event streams open on this replica, by agent").labelNames("agent").register(registry);
        events = Counter.builder().name("agentserver_agui_events_total")
                .help("AG-UI events queued for streams, by agent").labelNames("agent").register(registry);
        rejoins = Counter.builder().name("agentserver_agui_rejoins_total")
                .help("AG-UI streams opened with Last-Event-ID (or ?after=) to rejoin a run, by agent")
                .labelNames("agent").register(registry);
        slowReaders = Counter.builder().name("agentserver_agui_slow_readers_total")
                .help("AG-UI streams ended because their reader did not read, by agent").labelNames("agent")
                .register(registry);
    }

    void opened(String agent, boolean rejoin) {
        streamsOpen.labelValues(agent).inc();
        if (rejoin) {
            rejoins.labelValues(agent).inc();
        }
    }

    void closed(String agent) {
        streamsOpen.labelValues(agent).dec();
    }

    void events(String agent, int count) {
        events.labelValues(agent).inc(count);
    }

    void slowReader(String agent) {
        slowReaders.labelValues(agent).inc();
    }
}
