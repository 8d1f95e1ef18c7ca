package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitorKind;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The PodMonitor exists while {@code spec.monitoring} is enabled with kind PodMonitor; otherwise it is deleted. */
public class PodMonitorCondition implements Condition<Object, AgentServer> {

    @Override
    public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
        return primary.getSpec().monitored() && primary.getSpec().getMonitoring().kindOrDefault() == MonitorKind.PodMonitor;
    }
}
