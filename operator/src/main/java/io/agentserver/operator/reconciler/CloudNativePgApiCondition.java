package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.CloudNativePgCluster;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Activates a CloudNativePG dependent only while the cluster serves its kind, asked through API discovery
 * on each reconcile (as for the Prometheus Operator's monitors): installing CloudNativePG later needs no
 * restart of the operator.
 */
public abstract class CloudNativePgApiCondition implements Condition<Object, AgentServer> {

    private final String kind;

    CloudNativePgApiCondition(String kind) {
        this.kind = kind;
    }

    @Override
    public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
        return served(context, kind);
    }

    static boolean served(Context<AgentServer> context, String kind) {
        return context.getClient().supports(CloudNativePgCluster.API_VERSION, kind);
    }

    /** The Cluster kind is served. */
    public static class ClusterServed extends CloudNativePgApiCondition {
        public ClusterServed() {
            super(CloudNativePgCluster.CLUSTER);
        }
    }

    /** The ScheduledBackup kind is served. */
    public static class ScheduledBackupServed extends CloudNativePgApiCondition {
        public ScheduledBackupServed() {
            super(CloudNativePgCluster.SCHEDULED_BACKUP);
        }
    }
}
