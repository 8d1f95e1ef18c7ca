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

/** {@code <name>-postgres}: only the agent server pods (and {@code networkPolicy.databaseClients}) reach the managed PostgreSQL. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.POSTGRES_SELECTOR))
public class PostgresNetworkPolicyDependent extends OwnedDependent<NetworkPolicy> {

    public PostgresNetworkPolicyDependent() {
        super(NetworkPolicy.class, Component.POSTGRES);
    }

    @Override
    String name(AgentServer owner) {
        return ResourceNames.postgres(owner);
    }

    @Override
    protected NetworkPolicy desired(AgentServer owner, Context<AgentServer> context) {
        return desired(owner);
    }

    NetworkPolicy desired(AgentServer owner) {
        return BackendNetworkPolicy.of(owner, metadata(owner), Component.POSTGRES, ResourceNames.POSTGRES_PORT,
                owner.getSpec().networkPolicyOrDefault().getDatabaseClients());
    }
}
