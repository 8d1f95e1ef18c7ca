package io.agentserver.service.xagent;

import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.bus.EventBroker;
import io.agentserver.service.hub.ConnectionRegistry;
import io.agentserver.service.hub.HubSettings;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.web.OriginPolicy;
import io.agentserver.service.store.Stores;

import java.time.Clock;

/** What every XAgent socket and route works with. */
public record XAgentDependencies(Stores stores,
                                 EventBroker broker,
                                 RunCoordinator runs,
                                 XAgentUsers users,
                                 XAgentSettings settings,
                                 ConnectionRegistry registry,
                                 KeepAlive keepAlive,
                                 StreamTimer timer,
                                 HubSettings hub,
                                 DeliveryCursor cursor,
                                 ServiceMetrics metrics,
                                 OriginPolicy origins,
                                 Clock clock) {
}
