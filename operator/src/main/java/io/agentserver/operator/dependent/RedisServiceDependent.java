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

/** {@code <name>-redis}: the managed Redis's in-cluster address. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisServiceDependent extends OwnedDependent<Service> {

    public RedisServiceDependent() {
        super(Service.class, Component.REDIS);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.redis(owner);
    }

    @Override
    protected Service desired(AgentServer owner, Context<AgentServer> context) {
        return new ServiceBuilder()
                .withMetadata(metadata(owner))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.selector(owner, Component.REDIS))
                    .addNewPort().withName("redis").withPort(ResourceNames.REDIS_PORT)
                        .withTargetPort(new IntOrString("redis")).withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
