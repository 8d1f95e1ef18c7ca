package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.MonitorKind;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.agentserver.operator.model.ScrapeMonitor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
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
public abstract class MonitorDependent extends GenericKubernetesDependentResource<AgentServer>
        implements Creator<GenericKubernetesResource, AgentServer>, Updater<GenericKubernetesResource, AgentServer>,
        GarbageCollected<AgentServer> {

    private final MonitorKind kind;

    /**
     * Tells the client the plural and scope of the monitor kinds, so that it never asks API discovery.
     * The SDK builds a dependent's informer even to deregister it while its activation condition is
     * false, and without this a cluster lacking the Prometheus Operator's CRDs would fail every
     * reconcile with "Could not find the metadata for the given apiVersion and kind".
     */
    public static void registerKinds(KubernetesClient client) {
        client.getKubernetesSerialization().registerKubernetesResource(ServiceMonitorResource.class);
        client.getKubernetesSerialization().registerKubernetesResource(PodMonitorResource.class);
    }

    /** Type marker of {@code monitoring.coreos.com/v1 ServiceMonitor}; the content stays generic. */
    @Group(ScrapeMonitor.GROUP)
    @Version(ScrapeMonitor.VERSION)
    @Kind("ServiceMonitor")
    @Plural("servicemonitors")
    public static class ServiceMonitorResource extends GenericKubernetesResource implements Namespaced {
    }

    /** Type marker of {@code monitoring.coreos.com/v1 PodMonitor}; the content stays generic. */
    @Group(ScrapeMonitor.GROUP)
    @Version(ScrapeMonitor.VERSION)
    @Kind("PodMonitor")
    @Plural("podmonitors")
    public static class PodMonitorResource extends GenericKubernetesResource implements Namespaced {
    }

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
