package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.api.ServiceSpec;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <name>}: the Service clients connect to (HTTP and WebSocket on one port). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerServiceDependent extends OwnedDependent<Service> {

    public ServerServiceDependent() {
        super(Service.class, Component.SERVER);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.server(owner);
    }

    @Override
    protected Service desired(AgentServer owner, Context<AgentServer> context) {
        ServiceSpec service = owner.getSpec().serviceOrDefault();
        ObjectMeta metadata = metadata(owner);
        if (service.getAnnotations() != null) {
            metadata.getAnnotations().putAll(service.getAnnotations());
        }
        return new ServiceBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                    .withType(service.typeOrDefault().name())
                    .withSelector(Labels.selector(owner, Component.SERVER))
                    .addNewPort()
                        .withName("http")
                        .withPort(service.portOrDefault())
                        .withTargetPort(new IntOrString("http"))
                        .withProtocol("TCP")
                    .endPort()
                .endSpec()
                .build();
    }
}
