package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The CloudNativePG Cluster exists while {@code spec.database.cloudNativePG} is set; otherwise it is deleted. */
public class CloudNativePgCondition implements Condition<Object, AgentServer> {

    @Override
    public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
        return primary.getSpec().cloudNativePg();
    }

    /** The ScheduledBackup exists while the CloudNativePG database has a backup; otherwise it is deleted. */
    public static class WithBackup implements Condition<Object, AgentServer> {
        @Override
        public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
            return primary.getSpec().cloudNativePg() && primary.getSpec().getDatabase().getCloudNativePG().getBackup() != null;
        }
    }
}
