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
 * {@code agentserver_instance_ready{namespace,name}}: 1 while an AgentServer's phase is Ready, 0
 * otherwise, read from the operator's cache at scrape time; NaN once the AgentServer is gone (an
 * alert on {@code == 0} then stops firing). The chart's PrometheusRule alerts on it.
 */
public final class InstanceMetrics {

    public static final String READY = "agentserver.instance.ready";

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
                    .tag("namespace", id.getNamespace().orElse(""))
                    .tag("name", id.getName())
                    .register(registry);
        }
    }
}
