package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.model.ScrapeMonitor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * {@code <name>}: a ServiceMonitor or PodMonitor of the agent server. Registered with an activation
 * condition, so its informer only starts once an AgentServer enables monitoring of this kind.
 */
abstract class MonitorDependent extends GenericKubernetesDependentResource<AgentServer>
        implements Creator<GenericKubernetesResource, AgentServer>, Updater<GenericKubernetesResource, AgentServer>,
        GarbageCollected<AgentServer> {

    private final MonitorKind kind;

    MonitorDependent(MonitorKind kind) {
        super(new GroupVersionKind(ScrapeMonitor.GROUP, ScrapeMonitor.VERSION, kind.name()));
        this.kind = kind;
    }

    @Override
    protected ResourceID targetSecondaryResourceID(AgentServer primary, Context<AgentServer> context) {
        return new ResourceID(ResourceNames.monitor(primary), primary.getMetadata().getNamespace());
    }

    @Override
    protected GenericKubernetesResource desired(AgentServer owner, Context<AgentServer> context) {
        return desired(owner);
    }

    GenericKubernetesResource desired(AgentServer owner) {
        return ScrapeMonitor.of(owner, new ObjectMetaBuilder()
                .withName(ResourceNames.monitor(owner))
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(Labels.of(owner, Component.SERVER))
                .build(), kind);
    }
}
