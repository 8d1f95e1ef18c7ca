package io.agentserver.operator.status;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.Phase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@code agentserver_instance_ready{agentserver_namespace,agentserver_name}}: 1 while an AgentServer's phase is
 * Ready, 0 otherwise, read from the operator's cache at scrape time; NaN once the AgentServer is gone (an
 * alert on {@code == 0} then stops firing). The chart's PrometheusRule alerts on it. The labels are not
 * {@code namespace} and {@code name}: Prometheus sets {@code namespace} to the scraped pod's (the
 * operator's) and would rename ours to {@code exported_namespace}.
 */
public final class InstanceMetrics {

    public static final String READY = "agentserver.instance.ready";
    public static final String NAMESPACE_TAG = "agentserver_namespace";
    public static final String NAME_TAG = "agentserver_name";

    private final MeterRegistry registry;
    private final Set<ResourceID> registered = ConcurrentHashMap.newKeySet();

    public InstanceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the instance's gauge once; {@code cache} looks an AgentServer up by id. */
    public void observe(AgentServer resource, Function<ResourceID, Optional<AgentServer>> cache) {
        ResourceID id = ResourceID.fromResource(resource);
        if (registered.add(id)) {
            Gauge.builder(READY, () -> cache.apply(id)
                            .map(r -> r.getStatus() != null && r.getStatus().getPhase() == Phase.Ready ? 1.0 : 0.0)
                            .orElse(Double.NaN))
                    .description("1 while the AgentServer is Ready, 0 otherwise")
                    .tag(NAMESPACE_TAG, id.getNamespace().orElse(""))
                    .tag(NAME_TAG, id.getName())
                    .register(registry);
        }
    }
}
