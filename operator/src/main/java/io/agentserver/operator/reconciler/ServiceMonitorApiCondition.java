package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.MonitorKind;

/** Activates the ServiceMonitor dependent while the cluster serves ServiceMonitors. */
public class ServiceMonitorApiCondition extends MonitorApiCondition {

    public ServiceMonitorApiCondition() {
        super(MonitorKind.ServiceMonitor);
    }
}
