package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** A PodDisruptionBudget only makes sense with more than one replica (with one it would block node drains). */
public class SeveralReplicasCondition implements Condition<Object, AgentServer> {

    @Override
    public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
        return primary.getSpec().autoscaled()
                ? primary.getSpec().getAutoscaling().maxReplicasOrMin() > 1
                : primary.getSpec().replicasOrDefault() > 1;
    }
}
