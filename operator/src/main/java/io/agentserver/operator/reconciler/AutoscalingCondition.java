package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The HorizontalPodAutoscaler exists only while {@code spec.autoscaling.enabled}; otherwise it is deleted. */
public class AutoscalingCondition implements Condition<Object, AgentServer> {

    @Override
    public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
        return primary.getSpec().autoscaled();
    }
}
