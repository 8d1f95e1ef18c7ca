package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.PodSecurity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * An object created, kept equal to its desired state and garbage collected with its AgentServer.
 * Subclasses name the object and build it; the SDK adds the owner reference.
 */
abstract class OwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, AgentServer> {

    private final Component component;

    OwnedDependent(Class<R> type, Component component) {
        super(type);
        this.component = component;
    }

    /** The object's name, derived from the owner's. */
    abstract String name(AgentServer owner);

    @Override
    protected ResourceID targetSecondaryResourceID(AgentServer primary, Context<AgentServer> context) {
        return new ResourceID(name(primary), primary.getMetadata().getNamespace());
    }

    /** The pod security the reconciler put into the context; fixed UIDs when there is none (unit tests). */
    static PodSecurity podSecurity(Context<AgentServer> context) {
        return context == null ? PodSecurity.FIXED_USER_IDS
                : context.managedWorkflowAndDependentResourceContext().get(PodSecurity.class, PodSecurity.class)
                        .orElse(PodSecurity.FIXED_USER_IDS);
    }

    ObjectMeta metadata(AgentServer owner) {
        return new ObjectMetaBuilder()
                .withName(name(owner))
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(Labels.of(owner, component))
                .build();
    }
}
