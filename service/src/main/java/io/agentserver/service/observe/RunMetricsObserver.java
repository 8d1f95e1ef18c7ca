package io.agentserver.service.observe;

import io.agentserver.service.agent.AgentCatalog;
import io.agentserver.service.agent.RunObserver;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;
import io.agentserver.service.store.Step;

/**
 * Counts runs by the agent that ran them and the status they ended in, their steps by agent and step
 * status, and the runs the lease reaper ended. The agent label is the agent that actually ran (the catalog
 * resolves the client's name), so clients cannot grow the label set.
 */
public final class RunMetricsObserver implements RunObserver {

    private final ServiceMetrics metrics;
    private final AgentCatalog agents;

    public RunMetricsObserver(ServiceMetrics metrics, AgentCatalog agents) {
        this.metrics = metrics;
        this.agents = agents;
    }

    @Override
    public void stepStored(Interaction interaction, Step step) {
        metrics.stepStored(agentOf(interaction), step.status());
    }

    @Override
    public void statusChanged(Interaction interaction, InteractionStatus status, String message) {
        if (status.isFinal()) {
            metrics.runEnded(agentOf(interaction), status.wire());
        }
    }

    private String agentOf(Interaction interaction) {
        return agents.resolve(interaction.agent()).name();
    }

    @Override
    public void runReaped(Interaction interaction) {
        metrics.runReaped();
    }
}
