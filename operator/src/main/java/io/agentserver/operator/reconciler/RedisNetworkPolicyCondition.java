package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The managed Redis' NetworkPolicy exists while Redis is managed and NetworkPolicies are enabled. */
public class RedisNetworkPolicyCondition implements Condition<Object, AgentServer> {

    @Override
    public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
        return primary.getSpec().managedRedis() && primary.getSpec().networkPolicyOrDefault().enabledOrDefault();
    }
}
