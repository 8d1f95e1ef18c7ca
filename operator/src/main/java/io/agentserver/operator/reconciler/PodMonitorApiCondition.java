package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.MonitorKind;

/** Activates the PodMonitor dependent while the cluster serves PodMonitors. */
public class PodMonitorApiCondition extends MonitorApiCondition {

    public PodMonitorApiCondition() {
        super(MonitorKind.PodMonitor);
    }
}
