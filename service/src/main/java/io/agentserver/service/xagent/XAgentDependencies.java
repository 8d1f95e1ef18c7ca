package io.agentserver.service.xagent;

import io.agentserver.service.agent.RunCoordinator;
import io.agentserver.service.observe.ServiceMetrics;
import io.agentserver.service.store.Stores;
import io.agentserver.service.stream.StepFeed;

import java.time.Clock;

/** What every XAgent socket and route works with. */
public record XAgentDependencies(Stores stores,
                                 RunCoordinator runs,
                                 StepFeed feed,
                                 XAgentUsers users,
                                 XAgentSettings settings,
                                 KeepAlive keepAlive,
                                 PlaybackTimer playback,
                                 ServiceMetrics metrics,
                                 Clock clock) {
}
