package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.CloudNativePgCluster;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * {@code <name>-pg}: the CloudNativePG Cluster that runs this AgentServer's PostgreSQL. Registered with an
 * activation condition, so its informer only starts once the cluster serves CloudNativePG's CRDs.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.DATABASE_SELECTOR))
public class CloudNativePgClusterDependent extends GenericKubernetesDependentResource<AgentServer>
        implements Creator<GenericKubernetesResource, AgentServer>, Updater<GenericKubernetesResource, AgentServer>,
        GarbageCollected<AgentServer> {

    /**
     * Tells the client the plural and scope of CloudNativePG's kinds, so that it never asks API discovery
     * for them (see {@link MonitorDependent#registerKinds}).
     */
    public static void registerKinds(KubernetesClient client) {
        client.getKubernetesSerialization().registerKubernetesResource(ClusterResource.class);
        client.getKubernetesSerialization().registerKubernetesResource(ScheduledBackupResource.class);
    }

    /** Type marker of {@code postgresql.cnpg.io/v1 Cluster}; the content stays generic. */
    @Group(CloudNativePgCluster.GROUP)
    @Version(CloudNativePgCluster.VERSION)
    @Kind(CloudNativePgCluster.CLUSTER)
    @Plural("clusters")
    public static class ClusterResource extends GenericKubernetesResource implements Namespaced {
    }

    /** Type marker of {@code postgresql.cnpg.io/v1 ScheduledBackup}; the content stays generic. */
    @Group(CloudNativePgCluster.GROUP)
    @Version(CloudNativePgCluster.VERSION)
    @Kind(CloudNativePgCluster.SCHEDULED_BACKUP)
    @Plural("scheduledbackups")
    public static class ScheduledBackupResource extends GenericKubernetesResource implements Namespaced {
    }

    public CloudNativePgClusterDependent() {
        super(new GroupVersionKind(CloudNativePgCluster.GROUP, CloudNativePgCluster.VERSION, CloudNativePgCluster.CLUSTER));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(AgentServer primary, Context<AgentServer> context) {
        return new ResourceID(ResourceNames.cloudNativePg(primary), primary.getMetadata().getNamespace());
    }

    @Override
    protected GenericKubernetesResource desired(AgentServer owner, Context<AgentServer> context) {
        return desired(owner);
    }

    GenericKubernetesResource desired(AgentServer owner) {
        return CloudNativePgCluster.cluster(owner, new ObjectMetaBuilder().withName(ResourceNames.cloudNativePg(owner))
                .withNamespace(owner.getMetadata().getNamespace()).withLabels(Labels.of(owner, Component.DATABASE)).build());
    }
}
