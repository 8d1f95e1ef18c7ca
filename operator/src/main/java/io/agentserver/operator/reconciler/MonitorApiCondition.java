package io.agentserver.operator.reconciler;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.model.ScrapeMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Activates a monitor dependent only while the cluster serves its kind (the Prometheus Operator's
 * CRDs are installed), asked through API discovery on each reconcile. Without the CRDs the
 * informer is never registered; with them, the dependent is reconciled (created or deleted by its
 * precondition, which follows the spec) like any other.
 */
abstract class MonitorApiCondition implements Condition<Object, AgentServer> {

    private final MonitorKind kind;

    MonitorApiCondition(MonitorKind kind) {
        this.kind = kind;
    }

    @Override
    public boolean isMet(DependentResource<Object, AgentServer> dependent, AgentServer primary, Context<AgentServer> context) {
        return served(context, kind);
    }

    /** True when the API server serves {@code monitoring.coreos.com/v1} of this kind. */
    static boolean served(Context<AgentServer> context, MonitorKind kind) {
        return context.getClient().supports(ScrapeMonitor.API_VERSION, kind.name());
    }
}
