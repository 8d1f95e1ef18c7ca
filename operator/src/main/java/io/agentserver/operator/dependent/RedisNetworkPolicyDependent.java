package io.agentserver.operator.dependent;

import io.agentserver.operator.api.AgentServer;
import io.agentserver.operator.model.BackendNetworkPolicy;
import io.agentserver.operator.model.Component;
import io.agentserver.operator.model.Labels;
import io.agentserver.operator.model.ResourceNames;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <name>-redis}: only the agent server pods (and {@code networkPolicy.redisClients}) reach the managed Redis. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisNetworkPolicyDependent extends OwnedDependent<NetworkPolicy> {

    public RedisNetworkPolicyDependent() {
        super(NetworkPolicy.class, Component.REDIS);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.redis(owner);
    }

    @Override
    protected NetworkPolicy desired(AgentServer owner, Context<AgentServer> context) {
        return desired(owner);
    }

    NetworkPolicy desired(AgentServer owner) {
        return BackendNetworkPolicy.of(owner, metadata(owner), Component.REDIS, ResourceNames.REDIS_PORT,
                owner.getSpec().networkPolicyOrDefault().getRedisClients());
    }
}
