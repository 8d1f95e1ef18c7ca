package io.agentserver.service.hub;

import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.web.OriginPolicy;

/**
 * What every socket of this replica shares, whatever its protocol: the hub's limits, the registry of open
 * connections, the liveness monitor, metrics and the origin policy.
 */
public record Hub(HubSettings settings,
                  ConnectionRegistry registry,
                  LivenessMonitor monitor,
                  ServiceMetrics metrics,
                  OriginPolicy origins) {
}
