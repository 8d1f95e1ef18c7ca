package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <name>-postgres}: the headless Service of the PostgreSQL StatefulSet. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.POSTGRES_SELECTOR))
public class PostgresServiceDependent extends OwnedDependent<Service> {

    public PostgresServiceDependent() {
        super(Service.class, Component.POSTGRES);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.postgres(owner);
    }

    @Override
    protected Service desired(AgentServer owner, Context<AgentServer> context) {
        return new ServiceBuilder()
                .withMetadata(metadata(owner))
                .withNewSpec()
                    .withClusterIP("None")
                    .withSelector(Labels.selector(owner, Component.POSTGRES))
                    .addNewPort().withName("postgres").withPort(ResourceNames.POSTGRES_PORT)
                        .withTargetPort(new IntOrString("postgres")).withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
