package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.CloudNativePgCluster;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GenericKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** {@code <name>-pg-backup}: the ScheduledBackup of the CloudNativePG Cluster, while backups are asked for. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.DATABASE_SELECTOR))
public class CloudNativePgBackupDependent extends GenericKubernetesDependentResource<AgentServer>
        implements Creator<GenericKubernetesResource, AgentServer>, Updater<GenericKubernetesResource, AgentServer>,
        GarbageCollected<AgentServer> {

    public CloudNativePgBackupDependent() {
        super(new GroupVersionKind(CloudNativePgCluster.GROUP, CloudNativePgCluster.VERSION,
                CloudNativePgCluster.SCHEDULED_BACKUP));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(AgentServer primary, Context<AgentServer> context) {
        return new ResourceID(ResourceNames.cloudNativePgBackup(primary), primary.getMetadata().getNamespace());
    }

    @Override
    protected GenericKubernetesResource desired(AgentServer owner, Context<AgentServer> context) {
        return desired(owner);
    }

    GenericKubernetesResource desired(AgentServer owner) {
        return CloudNativePgCluster.scheduledBackup(owner, new ObjectMetaBuilder().withName(ResourceNames.cloudNativePgBackup(owner))
                .withNamespace(owner.getMetadata().getNamespace()).withLabels(Labels.of(owner, Component.DATABASE)).build());
    }
}
