package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The managed PostgreSQL's NetworkPolicy exists while PostgreSQL is managed and NetworkPolicies are enabled. */
public class PostgresNetworkPolicyCondition implements Condition<Object, AgentServer> {

    @Override
    public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
        return primary.getSpec().managedDatabase() && primary.getSpec().networkPolicyOrDefault().enabledOrDefault();
    }
}
