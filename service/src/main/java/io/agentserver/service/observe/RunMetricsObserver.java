package io.agentserver.service.observe;

import io.agentserver.service.agent.RunObserver;
import io.agentserver.service.store.Interaction;
import io.agentserver.service.store.InteractionStatus;

/** Counts runs by the status they ended in, and the runs the lease reaper ended. */
public final class RunMetricsObserver implements RunObserver {

    private final ServiceMetrics metrics;

    public RunMetricsObserver(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void statusChanged(Interaction interaction, InteractionStatus status, String message) {
        if (status.isFinal()) {
            metrics.runEnded(status.wire());
        }
    }

    @Override
    public void runReaped(Interaction interaction) {
        metrics.runReaped();
    }
}
